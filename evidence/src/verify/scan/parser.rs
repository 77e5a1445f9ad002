//! The lexical level of PDF 32000-1 §7.2–7.3: white space and delimiters, and a
//! recursive-descent [`Parser`] for one object (names, strings, numbers, arrays,
//! dictionaries, references), bounded in depth and number length.

use super::{Dict, Object};

/// Deepest nesting of arrays and dictionaries accepted.
const MAX_DEPTH: usize = 32;
/// Longest number token accepted.
const MAX_NUMBER_LEN: usize = 32;

/// PDF white-space characters (§7.2.2, Table 1).
pub(super) fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// PDF delimiters (§7.2.2, Table 2).
fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(super) fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delimiter(b)
}

/// Why an object could not be parsed (the parser only needs to know that it failed).
#[derive(Debug)]
pub(super) struct SyntaxError;

/// A recursive-descent parser over `data` from `pos`.
pub(super) struct Parser<'a> {
    data: &'a [u8],
    pub pos: usize,
}

impl<'a> Parser<'a> {
    pub(super) fn new(data: &'a [u8], pos: usize) -> Self {
        Parser { data, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.data.get(self.pos.checked_add(offset)?).copied()
    }

    /// Skips white space and comments.
    pub(super) fn skip_white(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(b) = self.peek() {
                    if b == b'\n' || b == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Consumes `word` if it is next and is not followed by a regular character.
    pub(super) fn keyword(&mut self, word: &[u8]) -> bool {
        let end = self.pos.saturating_add(word.len());
        if self.data.get(self.pos..end) == Some(word)
            && !self.data.get(end).is_some_and(|&b| is_regular(b))
        {
            self.pos = end;
            true
        } else {
            false
        }
    }

    pub(super) fn object(&mut self, depth: usize) -> Result<Object, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError);
        }
        self.skip_white();
        match self.peek().ok_or(SyntaxError)? {
            b'/' => self.name().map(Object::Name),
            b'(' => self.literal_string().map(Object::String),
            b'<' if self.peek_at(1) == Some(b'<') => self.dict(depth).map(Object::Dict),
            b'<' => self.hex_string(),
            b'[' => self.array(depth),
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number_or_reference(),
            _ => {
                if self.keyword(b"true") {
                    Ok(Object::Bool(true))
                } else if self.keyword(b"false") {
                    Ok(Object::Bool(false))
                } else if self.keyword(b"null") {
                    Ok(Object::Null)
                } else {
                    Err(SyntaxError)
                }
            }
        }
    }

    /// A name (§7.3.5); `pos` is on the slash.
    fn name(&mut self) -> Result<Vec<u8>, SyntaxError> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            if !is_regular(b) {
                break;
            }
            if b == b'#' {
                let hex = self
                    .data
                    .get(self.pos + 1..self.pos + 3)
                    .ok_or(SyntaxError)?;
                out.push(hex_pair(hex).ok_or(SyntaxError)?);
                self.pos += 3;
            } else {
                out.push(b);
                self.pos += 1;
            }
        }
        Ok(out)
    }

    /// A literal string (§7.3.4.2); `pos` is on the opening parenthesis.
    fn literal_string(&mut self) -> Result<Vec<u8>, SyntaxError> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut open = 1usize;
        loop {
            let b = self.peek().ok_or(SyntaxError)?;
            self.pos += 1;
            match b {
                b'(' => {
                    open += 1;
                    out.push(b);
                }
                b')' => {
                    open -= 1;
                    if open == 0 {
                        return Ok(out);
                    }
                    out.push(b);
                }
                b'\\' => {
                    let e = self.peek().ok_or(SyntaxError)?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0C),
                        b'0'..=b'7' => {
                            let mut value = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            // High-order overflow is ignored (§7.3.4.2).
                            out.push((value & 0xFF) as u8);
                        }
                        b'\r' => {
                            // A line continuation.
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    /// A hexadecimal string (§7.3.4.3); `pos` is on `<`.
    fn hex_string(&mut self) -> Result<Object, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let b = self.peek().ok_or(SyntaxError)?;
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if is_white(b) {
                continue;
            }
            let nibble = hex_digit(b).ok_or(SyntaxError)?;
            match high.take() {
                Some(h) => bytes.push(h << 4 | nibble),
                None => high = Some(nibble),
            }
        }
        // An odd final digit is followed by an implied 0.
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        Ok(Object::HexString {
            span: start..self.pos,
            bytes,
        })
    }

    fn array(&mut self, depth: usize) -> Result<Object, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_white();
            match self.peek().ok_or(SyntaxError)? {
                b']' => {
                    self.pos += 1;
                    return Ok(Object::Array(items));
                }
                _ => items.push(self.object(depth + 1)?),
            }
        }
    }

    fn dict(&mut self, depth: usize) -> Result<Dict, SyntaxError> {
        self.pos += 2;
        let mut entries = Vec::new();
        loop {
            self.skip_white();
            match self.peek().ok_or(SyntaxError)? {
                b'>' if self.peek_at(1) == Some(b'>') => {
                    self.pos += 2;
                    return Ok(Dict(entries));
                }
                b'/' => {
                    let key = self.name()?;
                    let value = self.object(depth + 1)?;
                    entries.push((key, value));
                }
                _ => return Err(SyntaxError),
            }
        }
    }

    /// A number (§7.3.3), or an indirect reference `N G R` (§7.3.10).
    fn number_or_reference(&mut self) -> Result<Object, SyntaxError> {
        let number = self.number()?;
        if let Object::Integer(n) = number
            && let Ok(n) = u32::try_from(n)
        {
            let saved = self.pos;
            self.skip_white();
            if self.peek().is_some_and(|b| b.is_ascii_digit())
                && let Ok(Object::Integer(g)) = self.number()
                && let Ok(g) = u16::try_from(g)
            {
                self.skip_white();
                if self.keyword(b"R") {
                    return Ok(Object::Reference(n, g));
                }
            }
            self.pos = saved;
        }
        Ok(number)
    }

    fn number(&mut self) -> Result<Object, SyntaxError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'))
        {
            self.pos += 1;
        }
        let token = self.data.get(start..self.pos).ok_or(SyntaxError)?;
        if token.is_empty() || token.len() > MAX_NUMBER_LEN {
            return Err(SyntaxError);
        }
        let text = std::str::from_utf8(token).map_err(|_| SyntaxError)?;
        if token.contains(&b'.') {
            text.parse::<f64>()
                .map(Object::Real)
                .map_err(|_| SyntaxError)
        } else {
            text.parse::<i64>()
                .map(Object::Integer)
                .map_err(|_| SyntaxError)
        }
    }
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hex_pair(pair: &[u8]) -> Option<u8> {
    match pair {
        [h, l] => Some(hex_digit(*h)? << 4 | hex_digit(*l)?),
        _ => None,
    }
}
