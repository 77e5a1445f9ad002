//! Text for the page: WinAnsiEncoding (the standard fonts' encoding), the widths of
//! Helvetica and Helvetica-Bold (Courier is monospaced), and greedy word wrapping into lines.

use pdf_writer::Name;

/// Widths of Helvetica in WinAnsiEncoding, codes 32..=255, in 1/1000 em (Adobe AFM).
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 556,
    556, 556, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 556, 611, 556,
    556, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 556, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Widths of Helvetica-Bold in WinAnsiEncoding, codes 32..=255, in 1/1000 em (Adobe AFM).
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 611,
    556, 611, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 611, 611, 611,
    611, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 611, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

/// Encodes text in WinAnsiEncoding (PDF 32000-1 Annex D: Windows code page 1252). Characters
/// outside it become `?`; the various Unicode spaces become a no-break space; line feeds are
/// kept (only [`wrap`] sees them, and splits there).
pub(super) fn winansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{A0}'..='\u{FF}' => c as u8,
            '\t' => b' ',
            // Kept for `wrap`, which starts a new paragraph there.
            '\n' => b'\n',
            '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => 0xA0,
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '•' => 0x95,
            '–' | '\u{2010}' | '\u{2011}' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            _ => b'?',
        })
        .collect()
}

/// The three standard fonts the evidence uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    pub(super) fn resource(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
            Font::Mono => Name(b"F3"),
        }
    }

    fn char_width(self, byte: u8) -> f32 {
        let table = match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
            Font::Mono => return 0.6,
        };
        let units = byte
            .checked_sub(32)
            .and_then(|i| table.get(usize::from(i)))
            .copied()
            .unwrap_or(556);
        f32::from(units) / 1000.0
    }

    pub(super) fn width(self, text: &[u8], size: f32) -> f32 {
        text.iter().map(|&b| self.char_width(b)).sum::<f32>() * size
    }
}

/// A line of text in a column.
pub(super) struct Line {
    pub font: Font,
    pub size: f32,
    pub gray: f32,
    pub leading: f32,
    pub text: Vec<u8>,
}

/// Greedy word wrapping of WinAnsi text into lines at most `width` wide; a word longer than a
/// line is cut. Line feeds start new paragraphs.
fn wrap(text: &str, font: Font, size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for paragraph in winansi(text).split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        for word in paragraph.split(|&b| b == b' ') {
            let candidate_width = if line.is_empty() {
                font.width(word, size)
            } else {
                font.width(&line, size) + font.width(b" ", size) + font.width(word, size)
            };
            if candidate_width <= width {
                if !line.is_empty() {
                    line.push(b' ');
                }
                line.extend_from_slice(word);
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: cut it if it is wider than a line.
            for &b in word {
                if !line.is_empty() && font.width(&line, size) + font.width(&[b], size) > width {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(b);
            }
        }
        lines.push(line);
    }
    lines
}

pub(super) fn lines(text: &str, font: Font, size: f32, gray: f32, width: f32) -> Vec<Line> {
    wrap(text, font, size, width)
        .into_iter()
        .map(|text| Line {
            font,
            size,
            gray,
            leading: size * 1.25,
            text,
        })
        .collect()
}

pub(super) fn height(lines: &[Line]) -> f32 {
    lines.iter().map(|l| l.leading).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_french_in_winansi() {
        assert_eq!(
            winansi("é è à ç Œ œ ’ € ☃"),
            b"\xe9 \xe8 \xe0 \xe7 \x8c \x9c \x92 \x80 ?"
        );
    }

    #[test]
    fn wraps_words_and_cuts_long_ones() {
        let text = "un deux trois quatre";
        let width = Font::Regular.width(b"un deux", 10.0) + 0.1;
        let lines = wrap(text, Font::Regular, 10.0, width);
        assert_eq!(
            lines,
            vec![b"un deux".to_vec(), b"trois".to_vec(), b"quatre".to_vec()]
        );
        let long = "a".repeat(200);
        let cut = wrap(&long, Font::Regular, 10.0, 100.0);
        assert!(cut.len() > 1);
        assert!(cut.iter().all(|l| Font::Regular.width(l, 10.0) <= 100.0));
        assert_eq!(cut.concat(), long.as_bytes());
    }
}
