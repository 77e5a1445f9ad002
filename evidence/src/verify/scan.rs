//! A small, bounds-checked PDF reader: enough of PDF 32000-1 §7.2–7.5 (lexical conventions,
//! objects, indirect objects, streams) to find the signature dictionary and the embedded files
//! of an evidence PDF, without a cross-reference table.
//!
//! The file is walked front to back: every `N G obj` header starts an indirect object, whose
//! value is parsed; a stream's data is skipped by its `/Length` (or, when that is unusable,
//! up to `endstream`), so nothing inside a stream is taken for an object. Arbitrary bytes give
//! fewer or no objects, never a panic: every access is checked, nesting and sizes are bounded.

use std::ops::Range;

mod parser;

use parser::{Parser, is_regular, is_white};

/// Most indirect objects read from one file.
const MAX_OBJECTS: usize = 100_000;

/// A PDF object (PDF 32000-1 §7.3).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Object {
    Null,
    Bool(bool),
    Integer(i64),
    Real(f64),
    /// A name, `#xx` escapes decoded, without the slash.
    Name(Vec<u8>),
    /// A literal string, escapes decoded.
    String(Vec<u8>),
    /// A hexadecimal string: where it is in the file, `<` and `>` included, and its bytes.
    HexString {
        span: Range<usize>,
        bytes: Vec<u8>,
    },
    Array(Vec<Object>),
    Dict(Dict),
    /// An indirect reference `N G R`.
    Reference(u32, u16),
}

impl Object {
    pub(crate) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(dict) => Some(dict),
            _ => None,
        }
    }

    pub(crate) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(name) => Some(name),
            _ => None,
        }
    }

    pub(crate) fn as_integer(&self) -> Option<i64> {
        match self {
            Object::Integer(value) => Some(*value),
            _ => None,
        }
    }

    /// A short description for reports: "a name", "an array"...
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Object::Null => "null",
            Object::Bool(_) => "a boolean",
            Object::Integer(_) => "an integer",
            Object::Real(_) => "a real number",
            Object::Name(_) => "a name",
            Object::String(_) => "a literal string",
            Object::HexString { .. } => "a hexadecimal string",
            Object::Array(_) => "an array",
            Object::Dict(_) => "a dictionary",
            Object::Reference(..) => "an indirect reference",
        }
    }
}

/// A dictionary, entries in file order (duplicates kept, so that they can be refused).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Dict(pub Vec<(Vec<u8>, Object)>);

impl Dict {
    /// The value of `key` when it appears exactly once.
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Object> {
        let mut found = self.0.iter().filter(|(k, _)| k == key);
        match (found.next(), found.next()) {
            (Some((_, value)), None) => Some(value),
            _ => None,
        }
    }

    /// A key that appears more than once, if any (a malformed dictionary).
    pub(crate) fn duplicate_key(&self) -> Option<&[u8]> {
        let mut seen = std::collections::HashSet::with_capacity(self.0.len());
        self.0
            .iter()
            .map(|(key, _)| key.as_slice())
            .find(|key| !seen.insert(*key))
    }

    /// Whether `key` is the name `value`.
    pub(crate) fn name_is(&self, key: &[u8], value: &[u8]) -> bool {
        self.get(key).and_then(Object::as_name) == Some(value)
    }
}

/// An indirect object found in the file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IndirectObject {
    pub number: u32,
    pub generation: u16,
    /// From the object number to the end of `endobj` (or of the value when `endobj` is
    /// missing).
    pub span: Range<usize>,
    pub value: Object,
    /// A stream's data, when the object is a stream.
    pub stream: Option<Range<usize>>,
}

/// Every indirect object of `data`, in file order.
///
/// An object that fails to parse is skipped and the search goes on just after its `obj`
/// keyword, so crafted input (e.g. many `1 0 obj (` never closed) could make the parser read
/// the same bytes again and again: the bytes examined are budgeted, a few times the file's
/// length, after which the walk stops with what it found.
pub(crate) fn objects(data: &[u8]) -> Vec<IndirectObject> {
    let budget = data.len().saturating_mul(4).saturating_add(64 * 1024);
    let mut spent = 0usize;
    let mut out = Vec::new();
    let mut pos = 0;
    while out.len() < MAX_OBJECTS && spent <= budget {
        let Some(keyword) = find(data, pos, b"obj") else {
            break;
        };
        let mut examined = keyword;
        let object = object_at(data, keyword, &mut examined);
        spent = spent.saturating_add(examined.saturating_sub(keyword));
        match object {
            Some(object) => {
                pos = object.span.end.max(keyword + 3);
                out.push(object);
            }
            None => pos = keyword + 3,
        }
    }
    out
}

/// The first position of `needle` in `data` at or after `from`.
pub(crate) fn find(data: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    data.get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|p| p + from)
}

/// The indirect object whose `obj` keyword is at `keyword`, if the bytes before it are
/// `N G ` and an object follows. `examined` is set to the furthest position read.
fn object_at(data: &[u8], keyword: usize, examined: &mut usize) -> Option<IndirectObject> {
    // The keyword must stand alone.
    if data.get(keyword + 3).is_some_and(|&b| is_regular(b)) {
        return None;
    }
    // Backwards: white space, generation digits, white space, object number digits.
    let mut i = keyword;
    let skip_white_back = |i: &mut usize| -> bool {
        let start = *i;
        while *i > 0 && data.get(*i - 1).is_some_and(|&b| is_white(b)) {
            *i -= 1;
        }
        *i < start
    };
    let digits_back = |i: &mut usize| -> Option<Range<usize>> {
        let end = *i;
        while *i > 0 && data.get(*i - 1).is_some_and(u8::is_ascii_digit) {
            *i -= 1;
        }
        (*i < end && end - *i <= 10).then_some(*i..end)
    };
    if !skip_white_back(&mut i) {
        return None;
    }
    let generation = digits_back(&mut i)?;
    if !skip_white_back(&mut i) {
        return None;
    }
    let number = digits_back(&mut i)?;
    if i > 0 && data.get(i - 1).is_some_and(|&b| is_regular(b)) {
        return None;
    }
    let number: u32 = std::str::from_utf8(data.get(number)?).ok()?.parse().ok()?;
    let generation: u16 = std::str::from_utf8(data.get(generation)?)
        .ok()?
        .parse()
        .ok()?;
    let start = i;

    let mut parser = Parser::new(data, keyword + 3);
    let value = parser.object(0);
    *examined = parser.pos;
    let value = value.ok()?;
    parser.skip_white();
    let mut stream = None;
    if parser.keyword(b"stream") {
        // §7.3.8.1: `stream` is followed by CRLF or LF.
        match (data.get(parser.pos), data.get(parser.pos + 1)) {
            (Some(b'\r'), Some(b'\n')) => parser.pos += 2,
            (Some(b'\n'), _) => parser.pos += 1,
            _ => return None,
        }
        let data_start = parser.pos;
        let declared = value
            .as_dict()
            .and_then(|dict| dict.get(b"Length"))
            .and_then(Object::as_integer)
            .and_then(|len| usize::try_from(len).ok())
            .and_then(|len| data_start.checked_add(len))
            .filter(|&end| end <= data.len())
            .filter(|&end| {
                let mut after = Parser::new(data, end);
                after.skip_white();
                after.keyword(b"endstream")
            });
        let data_end = match declared {
            Some(end) => end,
            None => {
                *examined = data.len();
                let at = find(data, data_start, b"endstream")?;
                // The end-of-line marker before `endstream` is not data.
                let mut end = at;
                if end > data_start && data.get(end - 1) == Some(&b'\n') {
                    end -= 1;
                }
                if end > data_start && data.get(end - 1) == Some(&b'\r') {
                    end -= 1;
                }
                end
            }
        };
        stream = Some(data_start..data_end);
        parser.pos = data_end;
        parser.skip_white();
        if !parser.keyword(b"endstream") {
            return None;
        }
        parser.skip_white();
    }
    // A missing `endobj` is tolerated (some writers omit it): the object ends with its value.
    let _ = parser.keyword(b"endobj");
    let end = parser.pos;
    *examined = (*examined).max(end);
    Some(IndirectObject {
        number,
        generation,
        span: start..end,
        value,
        stream,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use super::*;

    #[test]
    fn parses_a_signature_dictionary() {
        let pdf = b"%PDF-1.7\n12 0 obj\n<<\n  /Type /Sig\n  /ByteRange [0 10 20 30  ]\n  \
                    /Contents <0A0b 0>\n  /M (D:20261102101530Z)\n  /Name (a\\(b\\)\\101)\n>>\nendobj\n";
        let objects = objects(pdf);
        assert_eq!(objects.len(), 1);
        let object = &objects[0];
        assert_eq!((object.number, object.generation), (12, 0));
        assert_eq!(object.span.start, 9);
        let dict = object.value.as_dict().unwrap();
        assert!(dict.name_is(b"Type", b"Sig"));
        assert_eq!(
            dict.get(b"ByteRange"),
            Some(&Object::Array(vec![
                Object::Integer(0),
                Object::Integer(10),
                Object::Integer(20),
                Object::Integer(30)
            ]))
        );
        match dict.get(b"Contents").unwrap() {
            Object::HexString { span, bytes } => {
                assert_eq!(&pdf[span.clone()], b"<0A0b 0>");
                assert_eq!(bytes, &[0x0A, 0x0B, 0x00]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(dict.get(b"Name"), Some(&Object::String(b"a(b)A".to_vec())));
    }

    #[test]
    fn skips_stream_data_by_length() {
        let pdf = b"1 0 obj\n<< /Length 14 /Type /EmbeddedFile >>\nstream\n2 0 obj\n<< >>\n\nendstream\nendobj\n\
                    3 0 obj\n[1 0 R /A#20B 2.5 true null]\nendobj\n";
        let objects = objects(pdf);
        assert_eq!(objects.len(), 2, "{objects:?}");
        let stream = objects[0].stream.clone().unwrap();
        assert_eq!(&pdf[stream], b"2 0 obj\n<< >>\n");
        assert_eq!(
            objects[1].value,
            Object::Array(vec![
                Object::Reference(1, 0),
                Object::Name(b"A B".to_vec()),
                Object::Real(2.5),
                Object::Bool(true),
                Object::Null
            ])
        );
    }

    #[test]
    fn survives_garbage_and_deep_nesting() {
        let mut deep = b"1 0 obj\n".to_vec();
        deep.extend(std::iter::repeat_n(b'[', 10_000));
        assert!(objects(&deep).is_empty());
        for garbage in [
            &b""[..],
            b"obj",
            b" obj",
            b"0 obj",
            b"1 0 obj",
            b"1 0 obj <<",
            b"1 0 obj << /Length 99999999999999999999 >> stream\n",
            b"1 0 obj << /Length -5 >> stream\nendstream",
            b"1 0 obj (unterminated \\",
            b"1 0 obj <0G>",
            b"1 0 obj /#G",
            b"4294967296 0 obj 1 endobj",
        ] {
            let _ = objects(garbage);
        }
        // Quadratic re-reading is bounded: 60 000 unterminated strings (540 KB).
        let started = std::time::Instant::now();
        let crafted = b"1 0 obj (".repeat(60_000);
        assert!(objects(&crafted).is_empty());
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        let dup = objects(b"1 0 obj << /A 1 /A 2 >> endobj");
        let dict = dup[0].value.as_dict().unwrap();
        assert_eq!(dict.get(b"A"), None);
        assert_eq!(dict.duplicate_key(), Some(&b"A"[..]));
    }
}
