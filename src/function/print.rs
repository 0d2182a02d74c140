//! Prints a tape expression back in the input syntax (for showing the
//! derivatives), with the fewest parentheses that keep the parse identical.

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

/// The expression for `root`, or `None` if it would exceed `max_len` bytes
/// (shared sub-expressions are written out in full, so the text can be much
/// longer than the tape). Uses an explicit stack: no recursion over the tape.
pub(super) fn to_source(ops: &[Op], root: Id, max_len: usize) -> Option<String> {
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
