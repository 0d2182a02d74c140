//! The flat SSA tape: hash-consed instructions with local simplification,
//! forward-mode symbolic differentiation and the f64 evaluator.
//!
//! Operands always refer to earlier instructions, so every pass over a tape
//! (evaluation, differentiation, printing, WGSL emission) is a loop over
//! indices: however deeply the user nested the expression, nothing recurses.

use std::collections::HashMap;

/// Index of an instruction on the tape.
pub(super) type Id = u32;

/// Most instructions a finished tape (f and both partial derivatives) may hold.
/// Derivatives grow linearly with the expression, so this is only reached by
/// inputs near the length limit; it keeps the generated shader reasonable.
const MAX_TAPE: usize = 50_000;

/// Functions of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Fun1 {
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Exp,
    Log,
    Log10,
    Sqrt,
    Abs,
    /// Only created by differentiation (d|u| = sign(u) du); users cannot write it.
    Sign,
}

impl Fun1 {
    /// The name in the expression syntax (also the WGSL builtin, except `log10`).
    pub(super) fn name(self) -> &'static str {
        match self {
            Fun1::Sin => "sin",
            Fun1::Cos => "cos",
            Fun1::Tan => "tan",
            Fun1::Asin => "asin",
            Fun1::Acos => "acos",
            Fun1::Atan => "atan",
            Fun1::Sinh => "sinh",
            Fun1::Cosh => "cosh",
            Fun1::Tanh => "tanh",
            Fun1::Exp => "exp",
            Fun1::Log => "log",
            Fun1::Log10 => "log10",
            Fun1::Sqrt => "sqrt",
            Fun1::Abs => "abs",
            Fun1::Sign => "sign",
        }
    }

    fn apply(self, a: f64) -> f64 {
        match self {
            Fun1::Sin => a.sin(),
            Fun1::Cos => a.cos(),
            Fun1::Tan => a.tan(),
            Fun1::Asin => a.asin(),
            Fun1::Acos => a.acos(),
            Fun1::Atan => a.atan(),
            Fun1::Sinh => a.sinh(),
            Fun1::Cosh => a.cosh(),
            Fun1::Tanh => a.tanh(),
            Fun1::Exp => a.exp(),
            Fun1::Log => a.ln(),
            Fun1::Log10 => a.log10(),
            Fun1::Sqrt => a.sqrt(),
            Fun1::Abs => a.abs(),
            // Like WGSL's sign: 0 stays 0 (a valid subgradient of |u|), NaN stays NaN.
            Fun1::Sign => {
                if a > 0.0 {
                    1.0
                } else if a < 0.0 {
                    -1.0
                } else {
                    a
                }
            }
        }
    }
}

/// Functions of two arguments written as calls (`pow` is an operator on the tape).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Fun2 {
    Atan2,
    Min,
    Max,
}

impl Fun2 {
    pub(super) fn name(self) -> &'static str {
        match self {
            Fun2::Atan2 => "atan2",
            Fun2::Min => "min",
            Fun2::Max => "max",
        }
    }

    fn apply(self, a: f64, b: f64) -> f64 {
        // Rust's min/max drop a NaN operand; WGSL leaves it undefined. Propagating
        // it keeps a failed computation visible instead of silently picking the other side.
        if a.is_nan() || b.is_nan() {
            return f64::NAN;
        }
        match self {
            Fun2::Atan2 => a.atan2(b),
            Fun2::Min => a.min(b),
            Fun2::Max => a.max(b),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Op {
    /// The f64 bits, so that instructions can be hashed for common-subexpression elimination.
    Const(u64),
    X,
    Y,
    Neg(Id),
    Add(Id, Id),
    Sub(Id, Id),
    Mul(Id, Id),
    Div(Id, Id),
    /// Integer power, evaluated by repeated squaring (so `x^2` is exactly `x*x`);
    /// a negative exponent is `1/(a^|n|)`.
    PowI(Id, i32),
    /// Any other power; defined for a base > 0 only.
    Pow(Id, Id),
    F1(Fun1, Id),
    F2(Fun2, Id, Id),
    /// `if a <= b { t } else { e }`: only the derivatives of min and max create it.
    Select(Id, Id, Id, Id),
}

impl Op {
    pub(super) fn operands(self) -> impl Iterator<Item = Id> {
        let (list, n) = match self {
            Op::Const(_) | Op::X | Op::Y => ([0; 4], 0),
            Op::Neg(a) | Op::PowI(a, _) | Op::F1(_, a) => ([a, 0, 0, 0], 1),
            Op::Add(a, b)
            | Op::Sub(a, b)
            | Op::Mul(a, b)
            | Op::Div(a, b)
            | Op::Pow(a, b)
            | Op::F2(_, a, b) => ([a, b, 0, 0], 2),
            Op::Select(a, b, t, e) => ([a, b, t, e], 4),
        };
        list.into_iter().take(n)
    }

    pub(super) fn map_operands(self, f: impl Fn(Id) -> Id) -> Op {
        match self {
            Op::Const(_) | Op::X | Op::Y => self,
            Op::Neg(a) => Op::Neg(f(a)),
            Op::Add(a, b) => Op::Add(f(a), f(b)),
            Op::Sub(a, b) => Op::Sub(f(a), f(b)),
            Op::Mul(a, b) => Op::Mul(f(a), f(b)),
            Op::Div(a, b) => Op::Div(f(a), f(b)),
            Op::PowI(a, n) => Op::PowI(f(a), n),
            Op::Pow(a, b) => Op::Pow(f(a), f(b)),
            Op::F1(g, a) => Op::F1(g, f(a)),
            Op::F2(g, a, b) => Op::F2(g, f(a), f(b)),
            Op::Select(a, b, t, e) => Op::Select(f(a), f(b), f(t), f(e)),
        }
    }
}

/// `a^k` by repeated squaring. The WGSL emitter multiplies in the same order,
/// so CPU and GPU agree on how an integer power is rounded.
pub(super) fn powi(a: f64, mut k: u32) -> f64 {
    let mut base = a;
    let mut acc: Option<f64> = None;
    loop {
        if k & 1 == 1 {
            acc = Some(match acc {
                None => base,
                Some(r) => r * base,
            });
        }
        k >>= 1;
        if k == 0 {
            break;
        }
        base *= base;
    }
    acc.unwrap_or(1.0)
}

/// The plain IEEE result of one instruction (domain checks are separate).
fn compute(op: Op, get: impl Fn(Id) -> f64, x: f64, y: f64) -> f64 {
    match op {
        Op::Const(bits) => f64::from_bits(bits),
        Op::X => x,
        Op::Y => y,
        Op::Neg(a) => -get(a),
        Op::Add(a, b) => get(a) + get(b),
        Op::Sub(a, b) => get(a) - get(b),
        Op::Mul(a, b) => get(a) * get(b),
        Op::Div(a, b) => get(a) / get(b),
        Op::PowI(a, n) => {
            let p = powi(get(a), n.unsigned_abs());
            if n < 0 { 1.0 / p } else { p }
        }
        Op::Pow(a, b) => get(a).powf(get(b)),
        Op::F1(f, a) => f.apply(get(a)),
        Op::F2(f, a, b) => f.apply(get(a), get(b)),
        Op::Select(a, b, t, e) => {
            if get(a) <= get(b) {
                get(t)
            } else {
                get(e)
            }
        }
    }
}

/// The domain rule of one instruction. Every test is written so that a NaN
/// operand fails it (NaN compares false), exactly like the WGSL emitted for it.
fn domain_ok(op: Op, get: impl Fn(Id) -> f64) -> bool {
    match op {
        Op::Div(_, b) => get(b).abs() > 0.0,
        Op::PowI(a, n) if n < 0 => powi(get(a), n.unsigned_abs()).abs() > 0.0,
        Op::Pow(a, _) | Op::F1(Fun1::Log | Fun1::Log10, a) => get(a) > 0.0,
        Op::F1(Fun1::Sqrt, a) => get(a) >= 0.0,
        Op::F1(Fun1::Asin | Fun1::Acos, a) => get(a).abs() <= 1.0,
        Op::F2(Fun2::Atan2, a, b) => get(a).abs() > 0.0 || get(b).abs() > 0.0,
        _ => true,
    }
}

/// Whether a constant can be written as a finite, non-vanishing f32 literal.
pub(super) fn fits_f32(v: f64) -> bool {
    let single = v as f32;
    single.is_finite() && (v == 0.0 || single != 0.0)
}

/// Marks every instruction that the roots depend on (operands precede their
/// users, so one backwards sweep suffices).
fn reachable(ops: &[Op], roots: &[Id]) -> Vec<bool> {
    let mut live = vec![false; ops.len()];
    for &r in roots {
        live[r as usize] = true;
    }
    for i in (0..ops.len()).rev() {
        if live[i] {
            for o in ops[i].operands() {
                live[o as usize] = true;
            }
        }
    }
    live
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Var {
    X,
    Y,
}

/// Builds a tape. Every constructor simplifies locally and hash-conses, so
/// equal sub-expressions share one instruction and derivatives stay small.
///
/// Simplifications never change a finite f64 result except for the sign of a zero:
/// constants are folded only when all operands are constants (the same
/// operation on the same values), and rewrites are exact in IEEE arithmetic
/// (`-(a*b)` for `(-a)*b`, `a - b` for `a + (-b)`, `2*a` for `a + a`, ...).
/// Multiplying by zero and dividing zero fold to zero, which drops the domain
/// checks of the discarded operand: the function's domain is that of the
/// simplified expression.
#[derive(Default)]
pub(super) struct Builder {
    ops: Vec<Op>,
    ids: HashMap<Op, Id>,
}

impl Builder {
    fn push(&mut self, op: Op) -> Id {
        if let Some(&id) = self.ids.get(&op) {
            return id;
        }
        let id = self.ops.len() as Id;
        self.ops.push(op);
        self.ids.insert(op, id);
        id
    }

    pub(super) fn constant(&mut self, v: f64) -> Id {
        self.push(Op::Const(v.to_bits()))
    }

    pub(super) fn x(&mut self) -> Id {
        self.push(Op::X)
    }

    pub(super) fn y(&mut self) -> Id {
        self.push(Op::Y)
    }

    fn value_of(&self, id: Id) -> Option<f64> {
        match self.ops[id as usize] {
            Op::Const(bits) => Some(f64::from_bits(bits)),
            _ => None,
        }
    }

    fn is(&self, id: Id, v: f64) -> bool {
        self.value_of(id) == Some(v)
    }

    fn negative_const(&self, id: Id) -> Option<f64> {
        self.value_of(id).filter(|c| *c < 0.0)
    }

    /// `Mul(c, a)` with a constant `c`.
    fn scaled(&self, id: Id) -> Option<(f64, Id)> {
        match self.ops[id as usize] {
            Op::Mul(c, a) => self.value_of(c).map(|c| (c, a)),
            _ => None,
        }
    }

    /// Folds `op` when all its operands are constants and the result is finite,
    /// inside its domain and representable as an f32 literal; otherwise keeps
    /// the operation, so that `1/0` or `log(0)` stay runtime operations whose
    /// domain check flags them (and no shader ever contains a non-finite literal).
    fn fold_or_push(&mut self, op: Op) -> Id {
        let consts: Vec<Option<f64>> = op.operands().map(|o| self.value_of(o)).collect();
        if !consts.is_empty() && consts.iter().all(Option::is_some) {
            let ops = &self.ops;
            let get = |o: Id| match ops[o as usize] {
                Op::Const(bits) => f64::from_bits(bits),
                _ => f64::NAN,
            };
            let v = compute(op, get, f64::NAN, f64::NAN);
            if domain_ok(op, get) && fits_f32(v) {
                return self.constant(v);
            }
        }
        self.push(op)
    }

    pub(super) fn neg(&mut self, a: Id) -> Id {
        match self.ops[a as usize] {
            Op::Neg(inner) => return inner,
            Op::Sub(p, q) => return self.sub(q, p),
            _ => {}
        }
        if let Some((c, u)) = self.scaled(a) {
            let c = self.constant(-c);
            return self.mul(c, u);
        }
        self.fold_or_push(Op::Neg(a))
    }

    pub(super) fn add(&mut self, a: Id, b: Id) -> Id {
        if self.is(a, 0.0) {
            return b;
        }
        if self.is(b, 0.0) {
            return a;
        }
        if let Op::Neg(q) = self.ops[b as usize] {
            return self.sub(a, q);
        }
        if let Op::Neg(p) = self.ops[a as usize] {
            return self.sub(b, p);
        }
        if let Some(c) = self.negative_const(b) {
            let c = self.constant(-c);
            return self.sub(a, c);
        }
        if let Some((c, u)) = self.scaled(b).filter(|(c, _)| *c < 0.0) {
            let c = self.constant(-c);
            let m = self.mul(c, u);
            return self.sub(a, m);
        }
        if a == b && self.value_of(a).is_none() {
            let two = self.constant(2.0);
            return self.mul(two, a);
        }
        self.fold_or_push(Op::Add(a, b))
    }

    pub(super) fn sub(&mut self, a: Id, b: Id) -> Id {
        if self.is(b, 0.0) {
            return a;
        }
        if self.is(a, 0.0) {
            return self.neg(b);
        }
        if let Op::Neg(q) = self.ops[b as usize] {
            return self.add(a, q);
        }
        if let Some(c) = self.negative_const(b) {
            let c = self.constant(-c);
            return self.add(a, c);
        }
        if let Some((c, u)) = self.scaled(b).filter(|(c, _)| *c < 0.0) {
            let c = self.constant(-c);
            let m = self.mul(c, u);
            return self.add(a, m);
        }
        self.fold_or_push(Op::Sub(a, b))
    }

    pub(super) fn mul(&mut self, a: Id, b: Id) -> Id {
        match (self.value_of(a), self.value_of(b)) {
            (Some(_), Some(_)) => return self.fold_or_push(Op::Mul(a, b)),
            (Some(c), None) | (None, Some(c)) if c == 0.0 => return self.constant(0.0),
            (Some(1.0), None) => return b,
            (None, Some(1.0)) => return a,
            (Some(-1.0), None) => return self.neg(b),
            (None, Some(-1.0)) => return self.neg(a),
            // Constants go first: one canonical form for CSE, and `2*x` reads better.
            (None, Some(_)) => return self.mul(b, a),
            _ => {}
        }
        if let Op::Neg(p) = self.ops[a as usize] {
            let m = self.mul(p, b);
            return self.neg(m);
        }
        if let Op::Neg(q) = self.ops[b as usize] {
            let m = self.mul(a, q);
            return self.neg(m);
        }
        self.push(Op::Mul(a, b))
    }

    pub(super) fn div(&mut self, a: Id, b: Id) -> Id {
        if self.value_of(b).is_none() && self.is(a, 0.0) {
            return self.constant(0.0);
        }
        if self.is(b, 1.0) {
            return a;
        }
        if self.value_of(a).is_none() {
            if let Some(c) = self.negative_const(b) {
                let c = self.constant(-c);
                let q = self.div(a, c);
                return self.neg(q);
            }
            // (k*u)/c with k a power of two is u/(c/k) when c/k is exact: k*u
            // is exact too (barring overflow, which this avoids), so both are
            // the correctly rounded u*k/c. This turns the derivative (2*x)/20
            // of x^2/20 into x/10, bit for bit what the book computes. Only
            // whole quotients, which read better (x^3/0.75 would not).
            if let (Some(c), Some((k, u))) = (self.value_of(b), self.scaled(a)) {
                let q = c / k;
                let power_of_two = k.is_normal() && k.to_bits() & ((1u64 << 52) - 1) == 0;
                if power_of_two && q * k == c && q.fract() == 0.0 && q != 0.0 && fits_f32(q) {
                    let q = self.constant(q);
                    return self.div(u, q);
                }
            }
        }
        if let Op::Neg(p) = self.ops[a as usize] {
            let d = self.div(p, b);
            return self.neg(d);
        }
        if let Op::Neg(q) = self.ops[b as usize] {
            let d = self.div(a, q);
            return self.neg(d);
        }
        self.fold_or_push(Op::Div(a, b))
    }

    pub(super) fn powi(&mut self, a: Id, n: i32) -> Id {
        match n {
            0 => self.constant(1.0),
            1 => a,
            _ => self.fold_or_push(Op::PowI(a, n)),
        }
    }

    pub(super) fn pow(&mut self, a: Id, b: Id) -> Id {
        // Constant integer exponents become multiplications: WGSL's pow() is
        // undefined for a negative base, and x^2 must be exactly x*x.
        if let Some(c) = self.value_of(b)
            && c.fract() == 0.0
            && c.abs() <= f64::from(1u32 << 30)
        {
            return self.powi(a, c as i32);
        }
        self.fold_or_push(Op::Pow(a, b))
    }

    pub(super) fn f1(&mut self, f: Fun1, a: Id) -> Id {
        self.fold_or_push(Op::F1(f, a))
    }

    pub(super) fn f2(&mut self, f: Fun2, a: Id, b: Id) -> Id {
        self.fold_or_push(Op::F2(f, a, b))
    }

    fn select(&mut self, a: Id, b: Id, t: Id, e: Id) -> Id {
        if t == e {
            return t;
        }
        self.fold_or_push(Op::Select(a, b, t, e))
    }

    /// The derivative of instruction `node` (= `op`) with respect to `wrt`,
    /// given the derivatives `d` of all earlier instructions.
    fn derivative(&mut self, op: Op, node: Id, d: &[Id], wrt: Var) -> Id {
        let zero = self.constant(0.0);
        let one = self.constant(1.0);
        match op {
            Op::X => return if wrt == Var::X { one } else { zero },
            Op::Y => return if wrt == Var::Y { one } else { zero },
            _ => {}
        }
        if op.operands().all(|o| d[o as usize] == zero) {
            return zero;
        }
        let da = |a: Id| d[a as usize];
        match op {
            Op::Const(_) | Op::X | Op::Y | Op::F1(Fun1::Sign, _) => zero,
            Op::Neg(a) => self.neg(da(a)),
            Op::Add(a, b) => self.add(da(a), da(b)),
            Op::Sub(a, b) => self.sub(da(a), da(b)),
            Op::Mul(a, b) => {
                let l = self.mul(da(a), b);
                let r = self.mul(a, da(b));
                self.add(l, r)
            }
            Op::Div(a, b) => {
                // (a/b)' = (a' - (a/b) b') / b: reuses the quotient and keeps a
                // constant denominator a division (a'/c, never a' * (1/c)).
                let q = self.mul(node, da(b));
                let num = self.sub(da(a), q);
                self.div(num, b)
            }
            Op::PowI(a, n) => {
                let c = self.constant(f64::from(n));
                let p = self.powi(a, n - 1);
                let k = self.mul(c, p);
                self.mul(k, da(a))
            }
            Op::Pow(a, b) => {
                let by_base = if da(a) == zero {
                    zero
                } else {
                    let bm1 = self.sub(b, one);
                    let p = self.pow(a, bm1);
                    let k = self.mul(b, p);
                    self.mul(k, da(a))
                };
                let by_exponent = if da(b) == zero {
                    zero
                } else {
                    let l = self.f1(Fun1::Log, a);
                    let k = self.mul(node, l);
                    self.mul(k, da(b))
                };
                self.add(by_base, by_exponent)
            }
            Op::F1(f, a) => {
                let k = match f {
                    Fun1::Sin => self.f1(Fun1::Cos, a),
                    Fun1::Cos => {
                        let s = self.f1(Fun1::Sin, a);
                        self.neg(s)
                    }
                    Fun1::Tan => {
                        let t2 = self.powi(node, 2);
                        self.add(one, t2)
                    }
                    Fun1::Asin | Fun1::Acos => {
                        let a2 = self.powi(a, 2);
                        let r = self.sub(one, a2);
                        let s = self.f1(Fun1::Sqrt, r);
                        let k = self.div(one, s);
                        if f == Fun1::Acos { self.neg(k) } else { k }
                    }
                    Fun1::Atan => {
                        let a2 = self.powi(a, 2);
                        let s = self.add(one, a2);
                        return self.div(da(a), s);
                    }
                    Fun1::Sinh => self.f1(Fun1::Cosh, a),
                    Fun1::Cosh => self.f1(Fun1::Sinh, a),
                    Fun1::Tanh => {
                        let t2 = self.powi(node, 2);
                        self.sub(one, t2)
                    }
                    Fun1::Exp => node,
                    Fun1::Log => return self.div(da(a), a),
                    Fun1::Log10 => {
                        let ln10 = self.constant(std::f64::consts::LN_10);
                        let s = self.mul(ln10, a);
                        return self.div(da(a), s);
                    }
                    Fun1::Sqrt => {
                        let two = self.constant(2.0);
                        let s = self.mul(two, node);
                        return self.div(da(a), s);
                    }
                    Fun1::Abs => self.f1(Fun1::Sign, a),
                    Fun1::Sign => zero,
                };
                self.mul(k, da(a))
            }
            Op::F2(f, a, b) => match f {
                Fun2::Atan2 => {
                    // atan2(a, b) = angle of (b, a): (b a' - a b') / (a^2 + b^2)
                    let p = self.mul(b, da(a));
                    let q = self.mul(a, da(b));
                    let num = self.sub(p, q);
                    let a2 = self.powi(a, 2);
                    let b2 = self.powi(b, 2);
                    let den = self.add(b2, a2);
                    self.div(num, den)
                }
                Fun2::Min => self.select(a, b, da(a), da(b)),
                Fun2::Max => self.select(b, a, da(a), da(b)),
            },
            Op::Select(a, b, t, e) => self.select(a, b, da(t), da(e)),
        }
    }

    /// Differentiates `f`, drops every instruction that neither f nor its
    /// gradient needs, and checks the size limit.
    pub(super) fn finish(mut self, f: Id) -> Result<Tape, String> {
        let n = f as usize + 1;
        let live = reachable(&self.ops[..n], &[f]);
        let zero = self.constant(0.0);
        let mut dx = vec![zero; n];
        let mut dy = vec![zero; n];
        for i in 0..n {
            if live[i] {
                let op = self.ops[i];
                dx[i] = self.derivative(op, i as Id, &dx, Var::X);
                dy[i] = self.derivative(op, i as Id, &dy, Var::Y);
            }
        }
        let roots = [f, dx[f as usize], dy[f as usize]];
        let live = reachable(&self.ops, &roots);
        let in_f = reachable(&self.ops, &[f]);
        let mut new_id = vec![0 as Id; self.ops.len()];
        let mut ops = Vec::new();
        let mut checked = Vec::new();
        for (i, &op) in self.ops.iter().enumerate() {
            if live[i] {
                new_id[i] = ops.len() as Id;
                ops.push(op.map_operands(|o| new_id[o as usize]));
                // A check that passes with every non-constant operand NaN
                // passes for all inputs, since NaN fails any check that needs
                // it: the divisor 20 in x^2/20 needs no runtime test.
                let constant_ok = domain_ok(op, |o| self.value_of(o).unwrap_or(f64::NAN));
                checked.push(in_f[i] && !constant_ok);
            }
        }
        if ops.len() > MAX_TAPE {
            return Err(format!(
                "expression too large: it and its derivatives need {} operations (limit {MAX_TAPE})",
                ops.len()
            ));
        }
        let [f, dx, dy] = roots.map(|r| new_id[r as usize]);
        Ok(Tape {
            ops,
            checked,
            f,
            dx,
            dy,
        })
    }
}

/// A finished tape: f and its two partial derivatives over shared instructions.
#[derive(Clone, Debug)]
pub(super) struct Tape {
    pub(super) ops: Vec<Op>,
    /// Whether the instruction's domain check counts: f itself depends on it
    /// (a singular derivative does not make f undefined) and it can fail.
    pub(super) checked: Vec<bool>,
    pub(super) f: Id,
    pub(super) dx: Id,
    pub(super) dy: Id,
}

impl Tape {
    /// Evaluates the first `len` instructions; also returns whether every
    /// domain check of f among them passed.
    fn run(&self, x: f64, y: f64, len: usize) -> (Vec<f64>, bool) {
        let mut v: Vec<f64> = Vec::with_capacity(len);
        let mut valid = true;
        for (i, &op) in self.ops[..len].iter().enumerate() {
            let get = |o: Id| v[o as usize];
            if self.checked[i] && !domain_ok(op, get) {
                valid = false;
            }
            let r = compute(op, get, x, y);
            v.push(r);
        }
        (v, valid)
    }

    pub(super) fn value(&self, x: f64, y: f64) -> f64 {
        let f = self.f as usize;
        // f's instructions all precede it, so the derivatives need not run.
        let (v, valid) = self.run(x, y, f + 1);
        if valid { v[f] } else { f64::NAN }
    }

    /// Whether every instruction of f at (x, y) gives zero, NaN (a failed domain check) or a
    /// value in f32's normal range.
    pub(super) fn within_f32_range(&self, x: f64, y: f64) -> bool {
        let (v, _) = self.run(x, y, self.f as usize + 1);
        v.iter().all(|value| {
            let magnitude = value.abs();
            value.is_nan()
                || magnitude == 0.0
                || (f64::from(f32::MIN_POSITIVE)..=f64::from(f32::MAX)).contains(&magnitude)
        })
    }

    pub(super) fn gradient(&self, x: f64, y: f64) -> [f64; 2] {
        let (v, valid) = self.run(x, y, self.ops.len());
        if valid {
            [v[self.dx as usize], v[self.dy as usize]]
        } else {
            [f64::NAN; 2]
        }
    }
}
