#!/usr/bin/env python3
"""Reference trajectories for tests/optim_book.rs.

Regenerate with:  python3 tests/data/optim_reference.py > tests/data/optim_reference.csv
(needs numpy; the committed CSV was made with numpy 2.4.6, CPython 3.11, glibc 2.36).

The optimizer classes below are the update rules of the book *Deep Learning from
Scratch* (common/optimizer.py), kept in the book's exact source order, with state held
in numpy float64 0-d arrays via np.zeros_like as the book does. The driving loop is the
book's ch06/optimizer_compare_naive.py: append the position, compute the gradient,
update, 30 times from (-7.0, 2.0). The numerical gradient is the book's
common/gradient.py `_numerical_gradient_no_batch` (central differences, h = 1e-4).

Adam-paper and AdamW are not in the book; they are written here from
Kingma & Ba (2015), Algorithm 1, and Loshchilov & Hutter (2019) with the decay
scaled by lr (p -= lr*wd*p before the Adam step), in the operation order documented in
src/optim/optimizer.rs.

Output: CSV with columns spec,grad,step,x,y,f. `spec` and `grad` are strings the Rust
side parses (RunSpec / GradientSource); numbers are repr() of Python floats, i.e. the
shortest string that round-trips to the same float64.
"""

import csv
import sys

import numpy as np


# --- the book's common/optimizer.py -------------------------------------------------

class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]
            params[key] += self.v[key]


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            # `**2` is libm pow(g, 2.0), which glibc rounds differently from g*g in about
            # 0.1% of cases; the Rust side calls pow too.
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


# --- not in the book: Adam as in the paper, and AdamW --------------------------------

class AdamPaper:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t += 1
        bias1 = 1.0 - self.beta1**self.t
        bias2 = 1.0 - self.beta2**self.t
        for key in params.keys():
            self.decay_one(params, key)
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1.0 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1.0 - self.beta2) * (g * g)
            m_hat = self.m[key] / bias1
            v_hat = self.v[key] / bias2
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def decay_one(self, params, key):
        pass


class AdamW(AdamPaper):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps)
        self.weight_decay = weight_decay

    def decay_one(self, params, key):
        params[key] -= self.lr * self.weight_decay * params[key]


# --- the function, its gradients, and the book's driving loop ------------------------

def f(x, y):
    # The Rust test's objective squares by multiplication (the book writes x**2, which
    # is libm pow and may differ from x*x in the last bit); mirror the Rust objective.
    return x * x / 20.0 + y * y


def df(x, y):
    return x / 10.0, 2.0*y


def f_vec(v):
    return f(v[0], v[1])


def numerical_gradient(fn, x, h=1e-4):
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = fn(x)
        x[idx] = tmp_val - h
        fxh2 = fn(x)
        grad[idx] = (fxh1 - fxh2) / (2*h)
        x[idx] = tmp_val
    return grad


def trajectory(optimizer, grad, steps=30, init_pos=(-7.0, 2.0)):
    params = {}
    params['x'], params['y'] = init_pos[0], init_pos[1]
    grads = {}
    points = []
    for _ in range(steps):
        points.append((params['x'], params['y'], f(params['x'], params['y'])))
        if grad is None:
            grads['x'], grads['y'] = df(params['x'], params['y'])
        else:
            g = numerical_gradient(f_vec, np.array([params['x'], params['y']], dtype=np.float64), grad)
            grads['x'], grads['y'] = g[0], g[1]
        optimizer.update(params, grads)
    return points


# (spec as the Rust side parses it, gradient source, optimizer, numeric h or None)
CASES = [
    # The book's comparison figure.
    ("sgd:lr=0.95", "analytic", lambda: SGD(lr=0.95), None),
    ("momentum:lr=0.1", "analytic", lambda: Momentum(lr=0.1), None),
    ("adagrad:lr=1.5", "analytic", lambda: AdaGrad(lr=1.5), None),
    ("adam:lr=0.3", "analytic", lambda: Adam(lr=0.3), None),
    # Every kind at its class defaults.
    ("sgd", "analytic", lambda: SGD(), None),
    ("momentum", "analytic", lambda: Momentum(), None),
    ("nesterov", "analytic", lambda: Nesterov(), None),
    ("adagrad", "analytic", lambda: AdaGrad(), None),
    ("rmsprop", "analytic", lambda: RMSprop(), None),
    ("adam", "analytic", lambda: Adam(), None),
    ("adam-paper", "analytic", lambda: AdamPaper(), None),
    ("adamw", "analytic", lambda: AdamW(), None),
    # Larger steps and non-default hyperparameters.
    ("nesterov:lr=0.1", "analytic", lambda: Nesterov(lr=0.1), None),
    ("nesterov:lr=0.05,momentum=0.8", "analytic", lambda: Nesterov(lr=0.05, momentum=0.8), None),
    ("rmsprop:lr=0.1", "analytic", lambda: RMSprop(lr=0.1), None),
    ("rmsprop:lr=0.3,decay=0.9", "analytic", lambda: RMSprop(lr=0.3, decay_rate=0.9), None),
    ("momentum:lr=0.05,momentum=0.5", "analytic", lambda: Momentum(lr=0.05, momentum=0.5), None),
    ("adam:lr=0.3,beta1=0.8,beta2=0.99", "analytic", lambda: Adam(lr=0.3, beta1=0.8, beta2=0.99), None),
    # Of lr = 0.01, 0.02, ..., 1.99 this is the one where the book's g**2 (libm pow)
    # and g*g give different paths (from step 5 on): it pins down how Adam squares.
    ("adam:lr=1.36", "analytic", lambda: Adam(lr=1.36), None),
    ("adam-paper:lr=0.3", "analytic", lambda: AdamPaper(lr=0.3), None),
    ("adam-paper:lr=0.3,beta1=0.8,eps=0.001", "analytic", lambda: AdamPaper(lr=0.3, beta1=0.8, eps=0.001), None),
    ("adamw:lr=0.3,weight_decay=0.1", "analytic", lambda: AdamW(lr=0.3, weight_decay=0.1), None),
    # The book's numerical gradient.
    ("sgd:lr=0.95", "numeric:h=0.0001", lambda: SGD(lr=0.95), 1e-4),
    ("momentum:lr=0.1", "numeric:h=0.0001", lambda: Momentum(lr=0.1), 1e-4),
    ("adagrad:lr=1.5", "numeric:h=0.0001", lambda: AdaGrad(lr=1.5), 1e-4),
    ("adam:lr=0.3", "numeric:h=0.0001", lambda: Adam(lr=0.3), 1e-4),
    ("adam:lr=0.3", "numeric:h=0.001", lambda: Adam(lr=0.3), 1e-3),
]


def main():
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["spec", "grad", "step", "x", "y", "f"])
    for spec, grad, make, h in CASES:
        for step, (x, y, fv) in enumerate(trajectory(make(), h)):
            out.writerow([spec, grad, step, repr(float(x)), repr(float(y)), repr(float(fv))])


if __name__ == "__main__":
    main()
