//! The latest revision of an evidence PDF, as an incremental update needs it (ISO 32000-1
//! §7.5.6): the trailer (`/Size`, `/Root`, `/Info`, `/ID`, where the last cross-reference
//! section starts), the catalog, the first page, the existing DSS and signature fields; and
//! the writing of PDF objects back as text.
//!
//! The file is read with the crate's bounds-checked scanner ([`crate::verify::scan`]): every
//! `N G obj` front to back, the last definition of an object number winning, as the
//! incremental updates this module writes append redefinitions. The trailer is read from the
//! last `trailer` keyword. Only the structures our own renderer and updates write are
//! accepted (a classic cross-reference table, an inline `/AcroForm` or one by reference, a
//! flat page tree); anything else is a [`PadesError::Extend`], never a panic.

use std::collections::HashMap;

use crate::pades::PadesError;
use crate::verify::scan::{self, Dict, IndirectObject, Object};

/// What the next incremental update builds on.
pub(super) struct Revision {
    /// The trailer's `/Size`: the first free object number.
    pub size: u32,
    /// The catalog's object number and generation (the trailer's `/Root`).
    pub root: (u32, u16),
    /// The trailer's `/Info`, if any.
    pub info: Option<(u32, u16)>,
    /// The first element of the trailer's `/ID`.
    pub first_id: Vec<u8>,
    /// Where the last cross-reference section starts (`startxref`): the update's `/Prev`.
    pub prev_xref: usize,
    /// The catalog dictionary.
    pub catalog: Dict,
    /// The `/AcroForm` dictionary and, when it is an indirect object, its number.
    pub acroform: (Dict, Option<(u32, u16)>),
    /// The first page: number, generation, dictionary.
    pub page: ((u32, u16), Dict),
    /// The existing DSS dictionary, if any.
    pub dss: Option<Dict>,
    /// The partial names (`/T`) of the form's fields.
    pub field_names: Vec<Vec<u8>>,
    /// Every object number's latest definition.
    pub objects: HashMap<u32, IndirectObject>,
}

fn bad(what: &'static str) -> PadesError {
    PadesError::Extend(what)
}

fn reference(object: Option<&Object>) -> Option<(u32, u16)> {
    match object {
        Some(Object::Reference(number, generation)) => Some((*number, *generation)),
        _ => None,
    }
}

impl Revision {
    /// Reads the latest revision of `pdf`.
    pub fn read(pdf: &[u8]) -> Result<Self, PadesError> {
        let (trailer, prev_xref) = trailer(pdf)?;
        let size = trailer
            .get(b"Size")
            .and_then(Object::as_integer)
            .and_then(|size| u32::try_from(size).ok())
            .filter(|&size| size > 0)
            .ok_or(bad("the trailer has no usable /Size"))?;
        let root = reference(trailer.get(b"Root")).ok_or(bad("the trailer has no /Root"))?;
        let info = reference(trailer.get(b"Info"));
        let first_id = match trailer.get(b"ID") {
            Some(Object::Array(ids)) => match ids.first() {
                Some(Object::HexString { bytes, .. } | Object::String(bytes)) => bytes.clone(),
                _ => return Err(bad("the trailer's /ID is not two strings")),
            },
            _ => return Err(bad("the trailer has no /ID")),
        };

        let mut objects = HashMap::new();
        for object in scan::objects(pdf) {
            objects.insert(object.number, object);
        }
        let revision = |objects: &HashMap<u32, IndirectObject>| -> Result<Self, PadesError> {
            let dict = |at: (u32, u16), what: &'static str| -> Result<Dict, PadesError> {
                objects
                    .get(&at.0)
                    .filter(|o| o.generation == at.1 && o.stream.is_none())
                    .and_then(|o| o.value.as_dict())
                    .cloned()
                    .ok_or(bad(what))
            };
            let catalog = dict(root, "the catalog is not a dictionary")?;
            check_unique(&catalog)?;
            let acroform = match catalog.get(b"AcroForm") {
                Some(Object::Dict(form)) => (form.clone(), None),
                Some(Object::Reference(n, g)) => (
                    dict((*n, *g), "the /AcroForm is not a dictionary")?,
                    Some((*n, *g)),
                ),
                _ => return Err(bad("the catalog has no /AcroForm")),
            };
            check_unique(&acroform.0)?;
            let mut field_names = Vec::new();
            match acroform.0.get(b"Fields") {
                Some(Object::Array(fields)) => {
                    for field in fields {
                        let at =
                            reference(Some(field)).ok_or(bad("/Fields holds a direct object"))?;
                        let field = dict(at, "a form field is not a dictionary")?;
                        if let Some(Object::String(name) | Object::HexString { bytes: name, .. }) =
                            field.get(b"T")
                        {
                            field_names.push(name.clone());
                        }
                    }
                }
                _ => return Err(bad("the /AcroForm has no /Fields array")),
            }
            let pages = reference(catalog.get(b"Pages")).ok_or(bad("the catalog has no /Pages"))?;
            let pages = dict(pages, "/Pages is not a dictionary")?;
            let first = match pages.get(b"Kids") {
                Some(Object::Array(kids)) => reference(kids.first()),
                _ => None,
            }
            .ok_or(bad("the page tree has no first page"))?;
            let page = dict(first, "the first page is not a dictionary")?;
            if !page.name_is(b"Type", b"Page") {
                return Err(bad("the page tree is not flat"));
            }
            check_unique(&page)?;
            let dss = match catalog.get(b"DSS") {
                None => None,
                Some(Object::Reference(n, g)) => {
                    Some(dict((*n, *g), "the /DSS is not a dictionary")?)
                }
                Some(Object::Dict(dss)) => Some(dss.clone()),
                Some(_) => return Err(bad("the /DSS is not a dictionary")),
            };
            Ok(Revision {
                size,
                root,
                info,
                first_id: first_id.clone(),
                prev_xref,
                catalog,
                acroform,
                page: (first, page),
                dss,
                field_names,
                objects: HashMap::new(),
            })
        };
        let mut read = revision(&objects)?;
        if objects.keys().any(|&n| n >= size) {
            return Err(bad("an object number is not below the trailer's /Size"));
        }
        read.objects = objects;
        Ok(read)
    }

    /// The data of the stream `at`, when it is an unfiltered stream (as the DSS streams this
    /// module writes are).
    pub fn raw_stream<'a>(&self, pdf: &'a [u8], at: (u32, u16)) -> Option<&'a [u8]> {
        let object = self.objects.get(&at.0).filter(|o| o.generation == at.1)?;
        let dict = object.value.as_dict()?;
        if dict.get(b"Filter").is_some() {
            return None;
        }
        pdf.get(object.stream.clone()?)
    }
}

/// A dictionary written twice with the same key is refused (pyHanko's strict reader does).
fn check_unique(dict: &Dict) -> Result<(), PadesError> {
    match dict.duplicate_key() {
        Some(_) => Err(bad("a dictionary repeats a key")),
        None => Ok(()),
    }
}

/// The last trailer dictionary and the offset its `startxref` gives.
fn trailer(pdf: &[u8]) -> Result<(Dict, usize), PadesError> {
    let startxref = rfind(pdf, b"startxref").ok_or(bad("no startxref"))?;
    let digits: Vec<u8> = pdf[startxref + 9..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    let prev_xref: usize = std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| d.parse().ok())
        .filter(|&at: &usize| pdf.get(at..).is_some_and(|rest| rest.starts_with(b"xref")))
        .ok_or(bad("startxref does not point at a cross-reference table"))?;
    let keyword = rfind(&pdf[..startxref], b"trailer").ok_or(bad("no trailer"))?;
    // The scanner reads indirect objects: the trailer's dictionary is read as one.
    let mut wrapped = b"0 0 obj\n".to_vec();
    wrapped.extend_from_slice(&pdf[keyword + 7..startxref]);
    wrapped.extend_from_slice(b"\nendobj\n");
    let dict = scan::objects(&wrapped)
        .into_iter()
        .next()
        .and_then(|object| match object.value {
            Object::Dict(dict) => Some(dict),
            _ => None,
        })
        .ok_or(bad("the trailer is not a dictionary"))?;
    check_unique(&dict)?;
    Ok((dict, prev_xref))
}

fn rfind(data: &[u8], needle: &[u8]) -> Option<usize> {
    data.windows(needle.len()).rposition(|w| w == needle)
}

/// Appends `object` to `out` as PDF text (ISO 32000-1 §7.3). Strings are written as literal
/// strings with `\`, `(`, `)` and non-printable bytes escaped, names with `#xx` escapes, so
/// that the object reads back the same.
pub(super) fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Bool(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Object::Integer(value) => out.extend_from_slice(value.to_string().as_bytes()),
        Object::Real(value) if value.is_finite() && value.fract() == 0.0 => {
            out.extend_from_slice(format!("{value:.1}").as_bytes());
        }
        Object::Real(value) if value.is_finite() => {
            out.extend_from_slice(value.to_string().as_bytes());
        }
        Object::Real(_) => out.push(b'0'),
        Object::Name(name) => write_name(out, name),
        Object::String(bytes) | Object::HexString { bytes, .. } => {
            out.push(b'(');
            for &b in bytes {
                match b {
                    b'\\' | b'(' | b')' => out.extend_from_slice(&[b'\\', b]),
                    0x20..=0x7E => out.push(b),
                    _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
                }
            }
            out.push(b')');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dict(dict) => write_dict(out, dict),
        Object::Reference(number, generation) => {
            out.extend_from_slice(format!("{number} {generation} R").as_bytes());
        }
    }
}

/// Appends `dict` as `<< /Key value ... >>`, one entry a line.
pub(super) fn write_dict(out: &mut Vec<u8>, dict: &Dict) {
    out.extend_from_slice(b"<<");
    for (key, value) in &dict.0 {
        out.extend_from_slice(b"\n  ");
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    out.extend_from_slice(b"\n>>");
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        let delimiter = matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%' | b'#'
        );
        if (0x21..=0x7E).contains(&b) && !delimiter {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests: a panic is the failure report")]

    use super::*;

    #[test]
    fn objects_read_back_the_same() {
        let source =
            b"1 0 obj\n<< /Lang (fr\\(FR\\)\\n\\351) /Box [0 0 595.28 841.0] /N /A#20B /R 3 0 R \
                       /H <00FF> /T true /Z null /D << /X -2 >> >>\nendobj\n";
        let first = scan::objects(source).remove(0).value;
        let mut out = b"1 0 obj\n".to_vec();
        write_object(&mut out, &first);
        out.extend_from_slice(b"\nendobj\n");
        let second = scan::objects(&out).remove(0).value;
        let strip = |o: Object| match o {
            Object::Dict(d) => {
                d.0.into_iter()
                    .map(|(k, v)| match v {
                        Object::HexString { bytes, .. } => (k, Object::String(bytes)),
                        v => (k, v),
                    })
                    .collect::<Vec<_>>()
            }
            _ => panic!(),
        };
        assert_eq!(strip(first), strip(second));
    }

    #[test]
    fn garbage_is_refused() {
        for garbage in [
            &b""[..],
            b"startxref",
            b"startxref\n0\n%%EOF",
            b"xref\ntrailer\n<< /Size 3 >>\nstartxref\n0\n%%EOF",
            b"xref\ntrailer\n<< /Size 3 /Root 1 0 R /ID [<00> <00>] >>\nstartxref\n0\n%%EOF",
            b"1 0 obj << /AcroForm << /Fields 5 >> >> endobj\nxref\ntrailer\n<< /Size 3 /Root 1 0 R /ID [<00> <00>] >>\nstartxref\n45\n%%EOF",
        ] {
            assert!(Revision::read(garbage).is_err());
        }
    }
}
