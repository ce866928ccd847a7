//! The parser: JSON text to a [`Value`], strict RFC 8259.

use super::{Error, Number, Value};

/// Deepest nesting of arrays and objects accepted (serde_json's limit).
pub const MAX_DEPTH: usize = 128;

/// Parses one JSON document (surrounding whitespace allowed, nothing else).
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut p = Parser { s: text.as_bytes(), i: 0, depth: 0 };
    let v = p.value()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("trailing characters"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    /// `msg at line L column C` for the current position (1-based, the
    /// column counted in bytes as serde_json does).
    fn err(&self, msg: &str) -> Error {
        let upto = &self.s[..self.i.min(self.s.len())];
        let line = 1 + upto.iter().filter(|&&b| b == b'\n').count();
        let col = upto.len() - upto.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        Error::new(format!("{msg} at line {line} column {col}"))
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// Consumes `word` (after its first byte was seen) or fails.
    fn word(&mut self, word: &[u8], v: Value) -> Result<Value, Error> {
        for &b in word {
            if self.peek() != Some(b) {
                if self.peek().is_none() {
                    return Err(self.err("EOF while parsing a value"));
                }
                self.i += 1;
                return Err(self.err("expected ident"));
            }
            self.i += 1;
        }
        Ok(v)
    }

    fn value(&mut self) -> Result<Value, Error> {
        self.ws();
        match self.peek() {
            None => Err(self.err("EOF while parsing a value")),
            Some(b'n') => self.word(b"null", Value::Null),
            Some(b't') => self.word(b"true", Value::Bool(true)),
            Some(b'f') => self.word(b"false", Value::Bool(false)),
            Some(b'"') => {
                self.i += 1;
                self.string().map(Value::String)
            }
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'[') => {
                self.enter()?;
                let mut a = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                } else {
                    loop {
                        a.push(self.value()?);
                        if self.sep(b']', "array")? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Ok(Value::Array(a))
            }
            Some(b'{') => {
                self.enter()?;
                let mut o: Vec<(String, Value)> = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        match self.peek() {
                            Some(b'"') => self.i += 1,
                            None => return Err(self.err("EOF while parsing an object")),
                            Some(_) => return Err(self.err("key must be a string")),
                        }
                        let k = self.string()?;
                        self.ws();
                        match self.peek() {
                            Some(b':') => self.i += 1,
                            None => return Err(self.err("EOF while parsing an object")),
                            Some(_) => return Err(self.err("expected `:`")),
                        }
                        let v = self.value()?;
                        o.push((k, v));
                        if self.sep(b'}', "object")? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                dedupe(&mut o);
                Ok(Value::Object(o))
            }
            Some(_) => {
                self.i += 1;
                Err(self.err("expected value"))
            }
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.i += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("recursion limit exceeded"));
        }
        Ok(())
    }

    /// After an element: `,` (false: more follow) or `close` (true).
    fn sep(&mut self, close: u8, what: &str) -> Result<bool, Error> {
        self.ws();
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                self.ws();
                if self.peek() == Some(close) {
                    self.i += 1;
                    return Err(self.err("trailing comma"));
                }
                Ok(false)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(true)
            }
            None => Err(self.err(&format!("EOF while parsing an {what}"))),
            Some(_) => {
                self.i += 1;
                Err(self.err(&format!("expected `,` or `{}`", close as char)))
            }
        }
    }

    /// The rest of a string after its opening quote.
    fn string(&mut self) -> Result<String, Error> {
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // The input is a &str and we stopped at ASCII: a char boundary.
            out.push_str(std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.err("EOF while parsing a string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let e = self.peek().ok_or_else(|| self.err("EOF while parsing a string"))?;
                    self.i += 1;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => return Err(self.err("invalid escape")),
                    });
                }
                Some(_) => {
                    self.i += 1;
                    return Err(self.err("control character (\\u0000-\\u001F) found while parsing a string"));
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(b) = self.peek() else { return Err(self.err("EOF while parsing a string")) };
            self.i += 1;
            let d = (b as char).to_digit(16).ok_or_else(|| self.err("invalid escape"))?;
            n = n * 16 + d;
        }
        Ok(n)
    }

    /// A `\u` escape (after the `u`), with its low surrogate when it is a
    /// high one.
    fn unicode(&mut self) -> Result<char, Error> {
        let hi = self.hex4()?;
        let c = match hi {
            0xDC00..=0xDFFF => return Err(self.err("lone leading surrogate in hex escape")),
            0xD800..=0xDBFF => {
                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                    return Err(self.err("unexpected end of hex escape"));
                }
                self.i += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(self.err("lone leading surrogate in hex escape"));
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            n => n,
        };
        char::from_u32(c).ok_or_else(|| self.err("invalid unicode code point"))
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Number, Error> {
        let start = self.i;
        let neg = self.peek() == Some(b'-');
        if neg {
            self.i += 1;
        }
        let int_start = self.i;
        match self.digits() {
            0 => {
                if self.peek().is_some() {
                    self.i += 1;
                }
                return Err(self.err("invalid number"));
            }
            n if n > 1 && self.s[int_start] == b'0' => return Err(self.err("invalid number")),
            _ => {}
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            float = true;
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            float = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default();
        if !float {
            if let Ok(n) = text[int_start - start..].parse::<u64>() {
                if !neg {
                    return Ok(Number::U(n));
                }
                if n <= i64::MAX as u64 + 1 {
                    return Ok(Number::I((n as i64).wrapping_neg()).normal());
                }
            }
        }
        match super::float::parse(text) {
            Some(f) if f.is_finite() => Ok(Number::F(f)),
            _ => Err(self.err("number out of range")),
        }
    }
}

impl Number {
    /// `-0` is the float -0.0, as serde_json (1.0.154) and `JSON.parse`
    /// read it: not an integer (so no integer field takes it).
    fn normal(self) -> Number {
        match self {
            Number::I(0) => Number::F(-0.0),
            n => n,
        }
    }
}

/// Repeated keys as `JSON.parse` treats them: the first position, the last
/// value. Small objects are checked pair by pair; larger ones through an
/// index sorted by key, so a hostile object with many keys costs
/// O(n log n), not O(n²) (50,000 keys took 6 s with a linear search).
fn dedupe(o: &mut Vec<(String, Value)>) {
    if o.len() <= 32 {
        let mut i = 1;
        while i < o.len() {
            match o[..i].iter().position(|(k, _)| *k == o[i].0) {
                Some(j) => {
                    let (_, v) = o.remove(i);
                    o[j].1 = v;
                }
                None => i += 1,
            }
        }
        return;
    }
    let mut by_key: Vec<usize> = (0..o.len()).collect();
    // Stable: equal keys stay in input order, first to last.
    by_key.sort_by(|&a, &b| o[a].0.cmp(&o[b].0));
    let mut gone = vec![false; o.len()];
    let mut moves = Vec::new();
    for run in by_key.chunk_by(|&a, &b| o[a].0 == o[b].0) {
        if let [first, .., last] = *run {
            moves.push((first, last));
            run[1..].iter().for_each(|&i| gone[i] = true);
        }
    }
    for (first, last) in moves {
        o[first].1 = std::mem::replace(&mut o[last].1, Value::Null);
    }
    let mut i = 0;
    o.retain(|_| {
        i += 1;
        !gone[i - 1]
    });
}
