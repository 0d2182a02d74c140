//! Prints a tape expression back in the input syntax (for showing the
//! derivatives), with the fewest parentheses that keep the parse identical,
//! and each product's constant factors gathered into one coefficient.

use super::tape::{Id, Op};

/// Binding strength of each printed form; an operand printed where a
/// stronger form is required gets parentheses.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const UNARY: u8 = 3;
const POWER: u8 = 4;
const ATOM: u8 = 5;

/// Shortest text that parses back to exactly `v` (`pi` and `e` by name).
pub(super) fn format_number(v: f64) -> String {
    if v == std::f64::consts::PI {
        "pi".into()
    } else if v == std::f64::consts::E {
        "e".into()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v}")
    } else {
        // Debug is the shortest round-trip form and uses an exponent for very
        // large or small magnitudes (`1e-7`), which the parser accepts.
        format!("{v:?}")
    }
}

fn precedence(op: Op) -> u8 {
    match op {
        Op::Const(bits) if f64::from_bits(bits).is_sign_negative() => UNARY,
        Op::Const(_) | Op::X | Op::Y | Op::F1(..) | Op::F2(..) | Op::Select(..) => ATOM,
        Op::Neg(_) => UNARY,
        Op::Add(..) | Op::Sub(..) => SUM,
        Op::Mul(..) | Op::Div(..) => PRODUCT,
        Op::PowI(..) | Op::Pow(..) => POWER,
    }
}

enum Piece {
    /// An instruction, printed with parentheses unless it binds at least this strongly.
    Node(Id, u8),
    Text(&'static str),
    Exponent(i32),
}

/// A left-associative binary operator: the right operand must bind more strongly.
fn infix(stack: &mut Vec<Piece>, l: Id, text: &'static str, r: Id, prec: u8) {
    stack.push(Piece::Node(r, prec + 1));
    stack.push(Piece::Text(text));
    stack.push(Piece::Node(l, prec));
}

/// Longest run of factors one product is flattened into.
const MAX_FACTORS: usize = 16;

/// A product as its constant coefficient and its other factors, in order.
#[derive(Clone)]
struct Product {
    coefficient: f64,
    factors: Vec<Id>,
}

/// The two constants as one, where that reads no worse: `100*-4` is `-400` and
/// `0.26*2` is `0.52`, but `0.1*3` stays apart rather than `0.30000000000000004`.
fn fold_constants(a: f64, b: f64) -> Option<f64> {
    let product = a * b;
    let digits = |v: f64| format_number(v.abs()).len();
    let whole = product.fract() == 0.0 && product.abs() < 1e15;
    (product.is_finite() && (whole || digits(product) <= digits(a).max(digits(b))))
        .then_some(product)
}

/// A copy of the tape for printing in which chains of products and negations carry their
/// constants as one coefficient in front, where they fold cleanly (see [`fold_constants`]) and
/// the chain has at most [`MAX_FACTORS`] factors: the derivative of `x^3 - 3*x*y^2` by y,
/// built as `-(3*x*(2*y))`, reads `-6*x*y`. Display only: gradients are evaluated from the
/// tape itself, and the printed text evaluates to the same values but for rounding.
struct ProductsFolded {
    ops: Vec<Op>,
    /// For each instruction of `ops`, its product form where it is a product.
    products: Vec<Option<Product>>,
}

impl ProductsFolded {
    fn new(ops: &[Op], root: Id) -> (ProductsFolded, Id) {
        let mut folded = ProductsFolded {
            ops: Vec::with_capacity(ops.len()),
            products: Vec::with_capacity(ops.len()),
        };
        let mut new_id = Vec::with_capacity(ops.len());
        for &op in &ops[..=root as usize] {
            let id = |old: Id| new_id[old as usize];
            let id = match op {
                Op::Const(bits) => folded.push_product(f64::from_bits(bits), Vec::new()),
                Op::Neg(a) => {
                    let a = folded.product(id(a));
                    folded.push_product(-a.coefficient, a.factors)
                }
                Op::Mul(a, b) => {
                    let (a, b) = (folded.product(id(a)), folded.product(id(b)));
                    match fold_constants(a.coefficient, b.coefficient) {
                        Some(coefficient) if a.factors.len() + b.factors.len() <= MAX_FACTORS => {
                            folded.push_product(coefficient, [a.factors, b.factors].concat())
                        }
                        _ => folded.push(op.map_operands(id)),
                    }
                }
                // `a + -6*x` reads `a - 6*x`, and `a - -6*x` reads `a + 6*x`.
                Op::Add(a, b) | Op::Sub(a, b) => {
                    let (a, b) = (id(a), id(b));
                    match folded.products[b as usize].clone() {
                        Some(product) if product.coefficient < 0.0 => {
                            let b = folded.push_product(-product.coefficient, product.factors);
                            folded.push(match op {
                                Op::Add(..) => Op::Sub(a, b),
                                _ => Op::Add(a, b),
                            })
                        }
                        _ => folded.push(op.map_operands(id)),
                    }
                }
                _ => folded.push(op.map_operands(id)),
            };
            new_id.push(id);
        }
        let root = new_id[root as usize];
        (folded, root)
    }

    fn push(&mut self, op: Op) -> Id {
        self.ops.push(op);
        self.products.push(None);
        (self.ops.len() - 1) as Id
    }

    /// `id` as a product: its own form, or itself as the one factor.
    fn product(&self, id: Id) -> Product {
        self.products[id as usize].clone().unwrap_or(Product {
            coefficient: 1.0,
            factors: vec![id],
        })
    }

    /// The instructions that compute `coefficient` times the factors: the coefficient first,
    /// left out when it is 1, and a -1 as a minus on the first factor.
    fn push_product(&mut self, coefficient: f64, factors: Vec<Id>) -> Id {
        if let (1.0, &[alone]) = (coefficient, factors.as_slice()) {
            // The factor itself, which keeps its own form.
            return alone;
        }
        let mut rest = factors.iter().copied();
        let id = match rest.next() {
            None => self.push(Op::Const(coefficient.to_bits())),
            Some(first) => {
                let mut id = match coefficient {
                    1.0 => first,
                    -1.0 => self.push(Op::Neg(first)),
                    c => {
                        let c = self.push(Op::Const(c.to_bits()));
                        self.push(Op::Mul(c, first))
                    }
                };
                for factor in rest {
                    id = self.push(Op::Mul(id, factor));
                }
                id
            }
        };
        self.products[id as usize] = Some(Product {
            coefficient,
            factors,
        });
        id
    }
}

/// The expression for `root`, or `None` if it would exceed `max_len` bytes
/// (shared sub-expressions are written out in full, so the text can be much
/// longer than the tape). Uses an explicit stack: no recursion over the tape.
pub(super) fn to_source(ops: &[Op], root: Id, max_len: usize) -> Option<String> {
    let (folded, root) = ProductsFolded::new(ops, root);
    let ops = &folded.ops;
    let mut out = String::new();
    let mut stack = vec![Piece::Node(root, 0)];
    while let Some(piece) = stack.pop() {
        if out.len() > max_len {
            return None;
        }
        let (id, need) = match piece {
            Piece::Text(s) => {
                out.push_str(s);
                continue;
            }
            Piece::Exponent(n) => {
                out.push('^');
                out.push_str(&n.to_string());
                continue;
            }
            Piece::Node(id, need) => (id, need),
        };
        let op = ops[id as usize];
        if precedence(op) < need {
            out.push('(');
            stack.push(Piece::Text(")"));
        }
        // Pieces are pushed in reverse: the stack pops the leftmost first.
        match op {
            Op::Const(bits) => out.push_str(&format_number(f64::from_bits(bits))),
            Op::X => out.push('x'),
            Op::Y => out.push('y'),
            Op::Neg(a) => {
                out.push('-');
                stack.push(Piece::Node(a, POWER));
            }
            Op::Add(a, b) => infix(&mut stack, a, " + ", b, SUM),
            Op::Sub(a, b) => infix(&mut stack, a, " - ", b, SUM),
            Op::Mul(a, b) => infix(&mut stack, a, "*", b, PRODUCT),
            Op::Div(a, b) => infix(&mut stack, a, "/", b, PRODUCT),
            Op::PowI(a, n) => {
                stack.push(Piece::Exponent(n));
                stack.push(Piece::Node(a, ATOM));
            }
            Op::Pow(a, b) => {
                // Right-associative: the exponent may itself be a power.
                stack.push(Piece::Node(b, POWER));
                stack.push(Piece::Text("^"));
                stack.push(Piece::Node(a, ATOM));
            }
            Op::F1(f, a) => {
                out.push_str(f.name());
                out.push('(');
                stack.push(Piece::Text(")"));
                stack.push(Piece::Node(a, 0));
            }
            Op::F2(f, a, b) => {
                out.push_str(f.name());
                out.push('(');
                stack.push(Piece::Text(")"));
                stack.push(Piece::Node(b, 0));
                stack.push(Piece::Text(", "));
                stack.push(Piece::Node(a, 0));
            }
            Op::Select(a, b, t, e) => {
                out.push_str("if(");
                stack.push(Piece::Text(")"));
                stack.push(Piece::Node(e, 0));
                stack.push(Piece::Text(", "));
                stack.push(Piece::Node(t, 0));
                stack.push(Piece::Text(", "));
                stack.push(Piece::Node(b, 0));
                stack.push(Piece::Text(" <= "));
                stack.push(Piece::Node(a, 0));
            }
        }
    }
    Some(out)
}
