//! Lexer and parser. The parser writes straight onto a tape [`Builder`]
//! instead of building a syntax tree, and keeps its operators and operands on
//! explicit stacks: nothing recurses, whatever the nesting or chain length.

use super::FunctionError;
use super::tape::{Builder, Fun1, Fun2, Id, fits_f32};
use crate::typo::edit_distance;

/// Longest accepted input, in characters.
pub(super) const MAX_LEN: usize = 4096;
/// Deepest nesting of parentheses and function calls. The parser does not
/// recurse, so this only keeps inputs sensible (the WGSL is flat regardless).
pub(super) const MAX_DEPTH: usize = 200;

#[derive(Clone, Copy)]
enum Callee {
    One(Fun1),
    Two(Fun2),
    Pow,
}

impl Callee {
    fn arity(self) -> usize {
        match self {
            Callee::One(_) => 1,
            Callee::Two(_) | Callee::Pow => 2,
        }
    }
}

const FUNCTIONS: &[(&str, Callee)] = &[
    ("sin", Callee::One(Fun1::Sin)),
    ("cos", Callee::One(Fun1::Cos)),
    ("tan", Callee::One(Fun1::Tan)),
    ("asin", Callee::One(Fun1::Asin)),
    ("acos", Callee::One(Fun1::Acos)),
    ("atan", Callee::One(Fun1::Atan)),
    ("atan2", Callee::Two(Fun2::Atan2)),
    ("sinh", Callee::One(Fun1::Sinh)),
    ("cosh", Callee::One(Fun1::Cosh)),
    ("tanh", Callee::One(Fun1::Tanh)),
    ("exp", Callee::One(Fun1::Exp)),
    ("log", Callee::One(Fun1::Log)),
    ("log10", Callee::One(Fun1::Log10)),
    ("sqrt", Callee::One(Fun1::Sqrt)),
    ("abs", Callee::One(Fun1::Abs)),
    ("min", Callee::Two(Fun2::Min)),
    ("max", Callee::Two(Fun2::Max)),
    ("pow", Callee::Pow),
];

const VALUES: &[&str] = &["x", "y", "pi", "e"];

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Name,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    End,
}

struct Token {
    tok: Tok,
    /// 0-based character column of the first character.
    col: usize,
    text: String,
}

impl Token {
    fn describe(&self) -> String {
        match self.tok {
            Tok::End => "end of input".to_string(),
            Tok::Num(_) => format!("number `{}`", self.text),
            Tok::Name => format!("name `{}`", self.text),
            _ => format!("`{}`", self.text),
        }
    }
}

fn error(message: String, input: &str, col: usize) -> FunctionError {
    FunctionError {
        message,
        input: input.to_string(),
        column: Some(col),
    }
}

fn lex(input: &str) -> Result<Vec<Token>, FunctionError> {
    let chars: Vec<char> = input.chars().collect();
    let n = chars.len();
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let tok = match c {
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '*' => Tok::Star,
            '/' => Tok::Slash,
            '^' => Tok::Caret,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            '0'..='9' | '.' => {
                // Greedy over digits and dots, so `1.2.3` is one malformed number
                // rather than two numbers side by side.
                while i < n && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i < n && matches!(chars[i], 'e' | 'E') {
                    let mut k = i + 1;
                    let signed = k < n && matches!(chars[k], '+' | '-');
                    if signed {
                        k += 1;
                    }
                    if k < n && chars[k].is_ascii_digit() {
                        while k < n && chars[k].is_ascii_digit() {
                            k += 1;
                        }
                        i = k;
                    } else if signed || !(k < n && (chars[k].is_alphanumeric() || chars[k] == '_'))
                    {
                        return Err(error(
                            format!(
                                "malformed number `{}`: the exponent needs digits (e.g. `1e-3`)",
                                text(start, k)
                            ),
                            input,
                            start,
                        ));
                    }
                    // Otherwise a name follows (`2exp(x)`): the parser reports
                    // the missing `*`.
                }
                let literal = text(start, i);
                let value = match literal.parse::<f64>() {
                    Ok(v) if literal.chars().filter(|&c| c == '.').count() <= 1 => v,
                    _ => {
                        return Err(error(format!("malformed number `{literal}`"), input, start));
                    }
                };
                if !fits_f32(value) {
                    let why = if value.is_finite() && value.abs() < 1.0 {
                        "too small: it would be 0 in the GPU's 32-bit floats (smallest about 1.4e-45)"
                    } else {
                        "too large for the GPU's 32-bit floats (largest about 3.4e38)"
                    };
                    return Err(error(format!("number `{literal}` is {why}"), input, start));
                }
                tokens.push(Token {
                    tok: Tok::Num(value),
                    col: start,
                    text: literal,
                });
                continue;
            }
            c if c.is_alphabetic() || c == '_' => {
                while i < n && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push(Token {
                    tok: Tok::Name,
                    col: start,
                    text: text(start, i),
                });
                continue;
            }
            other => {
                return Err(error(
                    format!("unexpected character `{other}`"),
                    input,
                    start,
                ));
            }
        };
        i += 1;
        tokens.push(Token {
            tok,
            col: start,
            text: c.to_string(),
        });
    }
    tokens.push(Token {
        tok: Tok::End,
        col: n,
        text: String::new(),
    });
    Ok(tokens)
}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub(super) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .map(|c| (edit_distance(&lower, c), c))
        .min_by_key(|&(d, _)| d)
        .filter(|&(d, _)| d <= 2.max(name.chars().count() / 3))
        .map(|(_, c)| c)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// Entries of the operator stack. Parentheses and calls are barriers that
/// operators are never reduced across.
enum Pending {
    Neg,
    Bin(BinOp),
    Paren {
        open: usize,
    },
    Call {
        callee: Callee,
        name: String,
        name_col: usize,
        open: usize,
        commas: usize,
    },
}

impl Pending {
    /// Binding strength: `+ -` < `* /` < unary minus < `^`, so `-x^2` is
    /// -(x^2) and `-x*y` is (-x)*y; `None` for barriers.
    fn precedence(&self) -> Option<u8> {
        match self {
            Pending::Bin(BinOp::Add | BinOp::Sub) => Some(1),
            Pending::Bin(BinOp::Mul | BinOp::Div) => Some(2),
            Pending::Neg => Some(3),
            Pending::Bin(BinOp::Pow) => Some(4),
            Pending::Paren { .. } | Pending::Call { .. } => None,
        }
    }
}

/// Operator-precedence parser with explicit stacks: no recursion at all, so
/// neither long operator chains nor deep nesting can exhaust the thread
/// stack. Nesting is still capped by [`MAX_DEPTH`] to keep inputs sane.
struct Parser<'a> {
    input: &'a str,
    b: Builder,
    values: Vec<Id>,
    pending: Vec<Pending>,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, message: String, col: usize) -> FunctionError {
        error(message, self.input, col)
    }

    /// The stacks are kept consistent by the parse loop; this only guards
    /// against a bug turning into a panic.
    fn pop_value(&mut self) -> Result<Id, FunctionError> {
        self.values.pop().ok_or_else(|| FunctionError {
            message: "internal error: parser stack underflow".into(),
            input: self.input.to_string(),
            column: None,
        })
    }

    fn open(&mut self, entry: Pending, col: usize) -> Result<(), FunctionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(
                format!(
                    "expression nested too deeply (more than {MAX_DEPTH} levels of parentheses and function calls)"
                ),
                col,
            ));
        }
        self.pending.push(entry);
        Ok(())
    }

    /// Applies the operator on top of the stack to its operands.
    fn reduce_one(&mut self) -> Result<(), FunctionError> {
        let Some(top) = self.pending.pop() else {
            return Ok(());
        };
        let rhs = self.pop_value()?;
        let v = match top {
            Pending::Neg => self.b.neg(rhs),
            Pending::Bin(op) => {
                let lhs = self.pop_value()?;
                match op {
                    BinOp::Add => self.b.add(lhs, rhs),
                    BinOp::Sub => self.b.sub(lhs, rhs),
                    BinOp::Mul => self.b.mul(lhs, rhs),
                    BinOp::Div => self.b.div(lhs, rhs),
                    BinOp::Pow => self.b.pow(lhs, rhs),
                }
            }
            Pending::Paren { .. } | Pending::Call { .. } => rhs,
        };
        self.values.push(v);
        Ok(())
    }

    /// Reduces every operator that binds at least as strongly as `prec`
    /// (strictly more strongly for the right-associative `^`).
    fn reduce_while(&mut self, prec: u8, right_assoc: bool) -> Result<(), FunctionError> {
        while let Some(top) = self.pending.last().and_then(Pending::precedence) {
            if top < prec || (top == prec && right_assoc) {
                break;
            }
            self.reduce_one()?;
        }
        Ok(())
    }

    /// Reduces up to the innermost `(` or call, which stays on the stack.
    fn reduce_group(&mut self) -> Result<(), FunctionError> {
        self.reduce_while(0, false)
    }

    fn operand_name(&mut self, token: &Token, next: &Token) -> Result<bool, FunctionError> {
        let name = token.text.as_str();
        let value = match name {
            "x" => Some(self.b.x()),
            "y" => Some(self.b.y()),
            "pi" => Some(self.b.constant(std::f64::consts::PI)),
            "e" => Some(self.b.constant(std::f64::consts::E)),
            _ => None,
        };
        if let Some(v) = value {
            self.values.push(v);
            return Ok(false);
        }
        let Some(&(_, callee)) = FUNCTIONS.iter().find(|(f, _)| *f == name) else {
            return Err(self.unknown_name(name, token.col));
        };
        if next.tok != Tok::LParen {
            return Err(self.err(
                format!("`{name}` is a function: write `{name}(...)`"),
                token.col,
            ));
        }
        let call = Pending::Call {
            callee,
            name: name.to_string(),
            name_col: token.col,
            open: next.col,
            commas: 0,
        };
        self.open(call, next.col)?;
        // The `(` is consumed with the name.
        Ok(true)
    }

    fn unknown_name(&self, name: &str, col: usize) -> FunctionError {
        let known = VALUES
            .iter()
            .chain(FUNCTIONS.iter().map(|(f, _)| f))
            .copied();
        let hint = if name.chars().all(|c| c == 'x' || c == 'y') {
            // `xy`, `xx`: a product written without `*`.
            let product: Vec<String> = name.chars().map(String::from).collect();
            format!(
                ": implicit multiplication is not allowed, write `{}`",
                product.join("*")
            )
        } else if let Some(best) = closest(name, known) {
            format!(": did you mean `{best}`?")
        } else {
            let functions: Vec<&str> = FUNCTIONS.iter().map(|(f, _)| *f).collect();
            format!(" (known: x, y, pi, e, {})", functions.join(", "))
        };
        self.err(format!("unknown name `{name}`{hint}"), col)
    }

    /// Handles `)` or the end of a call's arguments.
    fn close_group(&mut self, token: &Token) -> Result<(), FunctionError> {
        self.reduce_group()?;
        match self.pending.pop() {
            Some(Pending::Paren { .. }) => {}
            Some(Pending::Call {
                callee,
                name,
                name_col,
                commas,
                ..
            }) => {
                let count = commas + 1;
                let want = callee.arity();
                if count != want {
                    let plural = if want == 1 { "" } else { "s" };
                    return Err(self.err(
                        format!("`{name}` takes {want} argument{plural}, got {count}"),
                        name_col,
                    ));
                }
                let last = self.pop_value()?;
                let v = match callee {
                    Callee::One(f) => self.b.f1(f, last),
                    Callee::Two(f) => {
                        let first = self.pop_value()?;
                        self.b.f2(f, first, last)
                    }
                    Callee::Pow => {
                        let first = self.pop_value()?;
                        self.b.pow(first, last)
                    }
                };
                self.values.push(v);
            }
            _ => return Err(self.err("unmatched `)`: there is no `(` to close".into(), token.col)),
        }
        self.depth -= 1;
        Ok(())
    }

    fn comma(&mut self, token: &Token) -> Result<(), FunctionError> {
        self.reduce_group()?;
        match self.pending.last_mut() {
            Some(Pending::Call { commas, .. }) => {
                *commas += 1;
                Ok(())
            }
            Some(Pending::Paren { open }) => {
                let open = *open;
                Err(self.err(
                    format!(
                        "expected `)` to close the `(` at column {}, found `,`",
                        open + 1
                    ),
                    token.col,
                ))
            }
            _ => Err(self.err("unexpected `,` outside a function call".into(), token.col)),
        }
    }

    fn parse(mut self, tokens: &[Token]) -> Result<(Builder, Id), FunctionError> {
        // Alternates between expecting an operand and expecting an operator.
        let mut want_operand = true;
        let mut i = 0;
        while let Some(token) = tokens.get(i) {
            let next = tokens.get(i + 1).unwrap_or(token);
            i += 1;
            if want_operand {
                match token.tok {
                    Tok::Minus => self.pending.push(Pending::Neg),
                    Tok::Num(v) => {
                        let c = self.b.constant(v);
                        self.values.push(c);
                        want_operand = false;
                    }
                    Tok::Name => {
                        if self.operand_name(token, next)? {
                            i += 1;
                            if let Some(close) = tokens.get(i).filter(|t| t.tok == Tok::RParen) {
                                // `sin()`: every function takes arguments.
                                return Err(self.empty_call(close));
                            }
                        } else {
                            want_operand = false;
                        }
                    }
                    Tok::LParen => self.open(Pending::Paren { open: token.col }, token.col)?,
                    Tok::End => {
                        return Err(self.err(
                            "unexpected end of input: expected a number, `x`, `y`, a function or `(`".into(),
                            token.col,
                        ));
                    }
                    _ => {
                        return Err(self.err(
                            format!(
                                "unexpected {}: expected a number, `x`, `y`, a function or `(`",
                                token.describe()
                            ),
                            token.col,
                        ));
                    }
                }
                continue;
            }
            let op = match token.tok {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                Tok::Star if next.tok == Tok::Star => {
                    return Err(self.err(
                        "`**` is not an operator: write `^` for powers (e.g. `x^2`)".into(),
                        token.col,
                    ));
                }
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                Tok::Caret => BinOp::Pow,
                Tok::Comma => {
                    self.comma(token)?;
                    want_operand = true;
                    continue;
                }
                Tok::RParen => {
                    self.close_group(token)?;
                    continue;
                }
                Tok::End => return self.finish(),
                Tok::Num(_) | Tok::Name | Tok::LParen => {
                    return Err(self.err(
                        format!(
                            "missing operator before {}: implicit multiplication is not allowed, write `*` (e.g. `2*x`, `x*y`, `2*(x + 1)`)",
                            token.describe()
                        ),
                        token.col,
                    ));
                }
            };
            let entry = Pending::Bin(op);
            if let Some(prec) = entry.precedence() {
                self.reduce_while(prec, op == BinOp::Pow)?;
            }
            self.pending.push(entry);
            want_operand = true;
        }
        // The token list always ends with `End`, handled above.
        self.finish()
    }

    fn empty_call(&self, close: &Token) -> FunctionError {
        match self.pending.last() {
            Some(Pending::Call {
                callee,
                name,
                name_col,
                ..
            }) => {
                let want = callee.arity();
                let plural = if want == 1 { "" } else { "s" };
                self.err(
                    format!("`{name}` takes {want} argument{plural}, got 0"),
                    *name_col,
                )
            }
            _ => self.err("unexpected `)`".into(), close.col),
        }
    }

    fn finish(mut self) -> Result<(Builder, Id), FunctionError> {
        self.reduce_group()?;
        match self.pending.last() {
            Some(Pending::Paren { open } | Pending::Call { open, .. }) => {
                Err(self.err("unclosed `(`: a `)` is missing".into(), *open))
            }
            _ => {
                let root = self.pop_value()?;
                Ok((self.b, root))
            }
        }
    }
}

/// Parses `input` onto a fresh tape builder; returns the builder and f's id.
pub(super) fn parse(input: &str) -> Result<(Builder, Id), FunctionError> {
    let len = input.chars().count();
    if len > MAX_LEN {
        return Err(FunctionError {
            message: format!("expression too long: {len} characters (limit {MAX_LEN})"),
            input: input.to_string(),
            column: None,
        });
    }
    if input.trim().is_empty() {
        return Err(FunctionError {
            message: "empty function: give an expression in x and y (e.g. `x^2/20 + y^2`) or a gallery name".into(),
            input: input.to_string(),
            column: None,
        });
    }
    let tokens = lex(input)?;
    let parser = Parser {
        input,
        b: Builder::default(),
        values: Vec::new(),
        pending: Vec::new(),
        depth: 0,
    };
    parser.parse(&tokens)
}
