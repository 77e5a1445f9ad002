//! The human-readable evidence PDF (EVD-04): A4, French first with the English label below in
//! smaller grey text, standard fonts (Helvetica, Courier) in WinAnsiEncoding, the XML attached,
//! and an empty signature dictionary whose `/Contents` placeholder [`super::Prepared`] fills.

use std::ops::Range;
use std::time::SystemTime;

use pdf_writer::types::{AnnotationFlags, AssociationKind, FieldType, SigFlags};
use pdf_writer::{Content, Date, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use super::PadesError;
use super::kinds::{field_labels, keys};
use super::model::{Civil, Evidence, Party, format_utc};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 56.0;
const RIGHT: f32 = PAGE_W - 56.0;
const TOP: f32 = PAGE_H - 64.0;
const BOTTOM: f32 = 84.0;
const LABEL_W: f32 = 170.0;
const VALUE_X: f32 = LEFT + LABEL_W + 12.0;
const VALUE_W: f32 = RIGHT - VALUE_X;
const ROW_GAP: f32 = 5.0;
/// Grey levels (0 = black).
const INK: f32 = 0.0;
const LABEL_INK: f32 = 0.2;
const ENGLISH_INK: f32 = 0.45;

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
pub(crate) fn winansi(text: &str) -> Vec<u8> {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    fn resource(self) -> Name<'static> {
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

    fn width(self, text: &[u8], size: f32) -> f32 {
        text.iter().map(|&b| self.char_width(b)).sum::<f32>() * size
    }
}

/// A line of text in a column.
struct Line {
    font: Font,
    size: f32,
    gray: f32,
    leading: f32,
    text: Vec<u8>,
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

fn lines(text: &str, font: Font, size: f32, gray: f32, width: f32) -> Vec<Line> {
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

fn height(lines: &[Line]) -> f32 {
    lines.iter().map(|l| l.leading).sum()
}

/// Pages of content being laid out top to bottom.
struct Layout {
    pages: Vec<Content>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Layout {
            pages: vec![Content::new()],
            y: TOP,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` points fit above the bottom margin.
    fn ensure(&mut self, h: f32) {
        if self.y - h < BOTTOM && self.y < TOP {
            self.new_page();
        }
    }

    fn page(&mut self) -> &mut Content {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text_at(&mut self, x: f32, baseline: f32, font: Font, size: f32, gray: f32, text: &[u8]) {
        if text.is_empty() {
            return;
        }
        let page = self.page();
        page.set_fill_gray(gray);
        page.begin_text();
        page.set_font(font.resource(), size);
        page.next_line(x, baseline);
        page.show(Str(text));
        page.end_text();
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32, gray: f32, width: f32) {
        let page = self.page();
        page.set_stroke_gray(gray);
        page.set_line_width(width);
        page.move_to(x1, y);
        page.line_to(x2, y);
        page.stroke();
    }

    /// Draws `lines` at `x` from the top `y`; returns the y below them.
    fn draw(&mut self, x: f32, mut y: f32, lines: &[Line]) -> f32 {
        for line in lines {
            let baseline = y - line.size;
            self.text_at(x, baseline, line.font, line.size, line.gray, &line.text);
            y -= line.leading;
        }
        y
    }

    /// A full-width paragraph.
    fn paragraph(&mut self, lines: &[Line]) {
        for line in lines {
            self.ensure(line.leading);
            let y = self.y;
            self.y = self.draw(LEFT, y, std::slice::from_ref(line));
        }
    }

    /// A section heading: French in bold, English beside it in grey.
    fn heading(&mut self, fr: &str, en: &str) {
        self.ensure(22.0 + 30.0);
        self.y -= 8.0;
        let fr_bytes = winansi(fr);
        let baseline = self.y - 11.5;
        self.text_at(LEFT, baseline, Font::Bold, 11.5, INK, &fr_bytes);
        let x = LEFT + Font::Bold.width(&fr_bytes, 11.5) + 8.0;
        self.text_at(x, baseline, Font::Regular, 9.0, ENGLISH_INK, &winansi(en));
        self.rule(LEFT, RIGHT, self.y - 15.5, 0.6, 0.5);
        self.y -= 22.0;
    }

    /// A labelled row: French label with the English label below, in the left column; the
    /// value in the right column. A row is kept on one page unless it is taller than a page,
    /// in which case its value flows onto the next pages.
    fn row(&mut self, label_fr: &str, label_en: &str, value: &str, value_font: Font) {
        let mut left = lines(label_fr, Font::Regular, 8.5, LABEL_INK, LABEL_W);
        left.extend(lines(label_en, Font::Regular, 7.5, ENGLISH_INK, LABEL_W));
        let value_size = if value_font == Font::Mono { 8.5 } else { 10.0 };
        let right = lines(value, value_font, value_size, INK, VALUE_W);
        let (hl, hr) = (height(&left), height(&right));
        let h = hl.max(hr);
        if h <= TOP - BOTTOM {
            self.ensure(h);
        } else {
            self.ensure(hl);
        }
        let top = self.y;
        let start_page = self.pages.len();
        let below_left = self.draw(LEFT, top, &left);
        let mut y = top;
        for line in &right {
            if y - line.leading < BOTTOM {
                self.new_page();
                y = TOP;
            }
            y = self.draw(VALUE_X, y, std::slice::from_ref(line));
        }
        self.y = if self.pages.len() == start_page {
            y.min(below_left)
        } else {
            y
        } - ROW_GAP;
    }

    fn known_row(&mut self, key: &str, value: &str) {
        let (fr, en) = field_labels(key).unwrap_or((key, key));
        self.row(fr, en, value, Font::Regular);
    }
}

/// Column x positions and widths of the digest table.
const FILE_X: f32 = LEFT;
const FILE_W: f32 = 205.0;
const METHOD_X: f32 = FILE_X + FILE_W + 8.0;
const METHOD_W: f32 = 55.0;
const HEX_X: f32 = METHOD_X + METHOD_W + 8.0;
const HEX_W: f32 = RIGHT - HEX_X;
const HEX_SIZE: f32 = 8.5;

fn digest_table_header(layout: &mut Layout) {
    layout.ensure(26.0);
    let top = layout.y;
    for (x, fr, en) in [
        (FILE_X, "Fichier", "File"),
        (METHOD_X, "Méthode", "Method"),
        (HEX_X, "Empreinte (hexadécimal)", "Digest (hexadecimal)"),
    ] {
        layout.text_at(x, top - 8.5, Font::Bold, 8.5, LABEL_INK, &winansi(fr));
        layout.text_at(x, top - 18.0, Font::Regular, 7.5, ENGLISH_INK, &winansi(en));
    }
    layout.rule(LEFT, RIGHT, top - 22.0, 0.6, 0.5);
    layout.y = top - 26.0;
}

fn digest_table(layout: &mut Layout, evidence: &Evidence) {
    digest_table_header(layout);
    let per_line = ((HEX_W / (0.6 * HEX_SIZE)).floor() as usize).max(8);
    for digest in &evidence.digests {
        let mut file = lines(&digest.file_name, Font::Regular, 9.0, INK, FILE_W);
        if let Some(id) = &digest.file_id {
            file.extend(lines(
                &format!("Id : {id}"),
                Font::Regular,
                7.5,
                ENGLISH_INK,
                FILE_W,
            ));
        }
        let method = lines(&digest.algorithm, Font::Regular, 9.0, INK, METHOD_W);
        let hex: Vec<Line> = digest
            .hex
            .as_bytes()
            .chunks(per_line)
            .map(|chunk| Line {
                font: Font::Mono,
                size: HEX_SIZE,
                gray: INK,
                leading: HEX_SIZE * 1.3,
                text: chunk.to_vec(),
            })
            .collect();
        let h = height(&file).max(height(&method)).max(height(&hex)) + 6.0;
        if layout.y - h < BOTTOM {
            layout.new_page();
            digest_table_header(layout);
        }
        let top = layout.y;
        layout.draw(FILE_X, top, &file);
        layout.draw(METHOD_X, top, &method);
        layout.draw(HEX_X, top, &hex);
        layout.rule(LEFT, RIGHT, top - h + 3.0, 0.85, 0.4);
        layout.y = top - h;
    }
}

fn party_rows(layout: &mut Layout, party: &Party, name: &str, id: &str, email: &str) {
    layout.known_row(name, &party.name);
    layout.known_row(id, &party.id);
    if let Some(address) = &party.email {
        layout.known_row(email, address);
    }
}

/// Lays out every page's content (without the running header and footer).
fn lay_out(evidence: &Evidence) -> Vec<Content> {
    let kind = evidence.kind;
    let mut layout = Layout::new();

    let title = lines(kind.title_fr(), Font::Bold, 17.0, INK, RIGHT - LEFT);
    let subtitle = lines(
        kind.title_en(),
        Font::Regular,
        12.0,
        ENGLISH_INK,
        RIGHT - LEFT,
    );
    layout.paragraph(&title);
    layout.y -= 2.0;
    layout.paragraph(&subtitle);
    layout.y -= 4.0;

    layout.heading("Preuve", "Evidence");
    layout.row(
        "Identifiant de la preuve",
        "Evidence identifier",
        &evidence.id,
        Font::Regular,
    );
    layout.row(
        "Type de preuve",
        "Evidence type",
        &format!("{}\n{}", kind.title_fr(), kind.title_en()),
        Font::Regular,
    );
    match kind.etsi_event() {
        Some(_) => layout.row(
            "Événement ETSI EN 319 522",
            "ETSI EN 319 522 event",
            &kind.event_uri(),
            Font::Regular,
        ),
        None => layout.row(
            "Événement (hors ETSI EN 319 522)",
            "Event (beyond ETSI EN 319 522)",
            &kind.event_uri(),
            Font::Regular,
        ),
    }
    layout.row(
        "Date et heure de l'événement (UTC)",
        "Event time (UTC)",
        &format_utc(evidence.event_time),
        Font::Regular,
    );
    if let Some(time) = evidence.submission_time {
        layout.known_row(keys::SUBMISSION_TIME, &format_utc(time));
    }
    layout.row(
        "Politique de preuve (OID)",
        "Evidence policy (OID)",
        &evidence.policy_oid,
        Font::Regular,
    );
    layout.row(
        "Émetteur de la preuve",
        "Evidence issuer",
        &format!("{}\n{}", evidence.issuer.name, evidence.issuer.url),
        Font::Regular,
    );

    if let Some(sender) = &evidence.sender {
        layout.heading("Expéditeur", "Sender");
        party_rows(
            &mut layout,
            sender,
            keys::SENDER_NAME,
            keys::SENDER_ID,
            keys::SENDER_EMAIL,
        );
    }
    if let Some(recipient) = &evidence.recipient {
        layout.heading("Destinataire", "Recipient");
        party_rows(
            &mut layout,
            recipient,
            keys::RECIPIENT_NAME,
            keys::RECIPIENT_ID,
            keys::RECIPIENT_EMAIL,
        );
    }
    if let Some(user) = &evidence.user {
        layout.heading("Utilisateur", "User");
        party_rows(
            &mut layout,
            user,
            keys::USER_NAME,
            keys::USER_ID,
            keys::USER_EMAIL,
        );
    }
    let status = kind.letter_status();
    if evidence.letter_id.is_some() || evidence.subject.is_some() || status.is_some() {
        layout.heading("Lettre recommandée", "Registered letter");
        if let Some(id) = &evidence.letter_id {
            layout.known_row(keys::LETTER_ID, id);
        }
        if let Some(subject) = &evidence.subject {
            layout.known_row(keys::LETTER_SUBJECT, subject);
        }
        if let Some((fr, en)) = status {
            layout.known_row(keys::LETTER_STATUS, &format!("{fr}\n{en}"));
        }
    }
    if let Some(sessions) = &evidence.sessions {
        layout.heading("Sessions d'authentification", "Authentication sessions");
        layout.known_row(keys::LOGIN_SESSION_ID, &sessions.login_session_id);
        layout.known_row(keys::LOGIN_TIME, &format_utc(sessions.login_time));
        layout.known_row(keys::OTP_SESSION_ID, &sessions.otp_session_id);
    }
    if !evidence.fields.is_empty() {
        layout.heading("Informations complémentaires", "Details");
        for field in &evidence.fields {
            layout.row(
                &field.label_fr,
                &field.label_en,
                &field.value,
                Font::Regular,
            );
        }
    }
    if !evidence.digests.is_empty() {
        layout.heading("Empreintes des fichiers", "File digests");
        digest_table(&mut layout, evidence);
    }

    layout.y -= 10.0;
    let file = evidence.xml_file_name();
    let mut note = lines(
        &format!(
            "Les données de cette preuve sont jointes au document au format XML (fichier {file}). \
             Le cachet électronique (PAdES) et son horodatage couvrent les pages et la pièce jointe."
        ),
        Font::Regular,
        8.0,
        LABEL_INK,
        RIGHT - LEFT,
    );
    note.extend(lines(
        &format!(
            "This evidence's data is attached to the document as XML (file {file}). The electronic \
             seal (PAdES) and its time-stamp cover the pages and the attachment."
        ),
        Font::Regular,
        7.5,
        ENGLISH_INK,
        RIGHT - LEFT,
    ));
    layout.paragraph(&note);
    layout.pages
}

/// Adds the running header and footer to every page.
fn decorate(pages: &mut [Content], evidence: &Evidence) {
    let count = pages.len();
    let verify = evidence.issuer.verify_url();
    let footer_fr = format!(
        "Preuve scellée par {} ; vérification : {verify}",
        evidence.issuer.name
    );
    let footer_en = format!(
        "Evidence sealed by {}; verify at {verify}",
        evidence.issuer.name
    );
    let header = winansi(&format!("{}  ·  {}", evidence.issuer.name, evidence.id));
    for (i, page) in pages.iter_mut().enumerate() {
        let mut layout = Layout {
            pages: vec![std::mem::replace(page, Content::new())],
            y: 0.0,
        };
        layout.text_at(
            LEFT,
            PAGE_H - 40.0,
            Font::Regular,
            7.5,
            ENGLISH_INK,
            &header,
        );
        let number = winansi(&format!("Page {} / {count}", i + 1));
        let x = RIGHT - Font::Regular.width(&number, 7.5);
        layout.text_at(x, PAGE_H - 40.0, Font::Regular, 7.5, ENGLISH_INK, &number);
        layout.rule(LEFT, RIGHT, PAGE_H - 46.0, 0.75, 0.5);

        layout.rule(LEFT, RIGHT, 62.0, 0.75, 0.5);
        let mut y = 58.0;
        for line in lines(&footer_fr, Font::Regular, 7.5, LABEL_INK, RIGHT - LEFT)
            .into_iter()
            .chain(lines(
                &footer_en,
                Font::Regular,
                7.0,
                ENGLISH_INK,
                RIGHT - LEFT,
            ))
        {
            y = layout.draw(LEFT, y, std::slice::from_ref(&line));
        }
        *page = layout.pages.remove(0);
    }
}

fn pdf_date(time: SystemTime) -> Date {
    let c = Civil::from(time);
    Date::new(u16::try_from(c.year).unwrap_or(9999))
        .month(c.month)
        .day(c.day)
        .hour(c.hour)
        .minute(c.minute)
        .second(c.second)
        .utc_offset_hour(0)
}

/// A rendered, not yet signed, evidence PDF.
pub(crate) struct Rendered {
    /// The whole file, `/ByteRange` already filled in.
    pub bytes: Vec<u8>,
    /// Where the `/Contents` hex string is, `<` and `>` included.
    pub contents: Range<usize>,
}

/// Renders `evidence` with `xml` attached and a signature dictionary whose `/Contents`
/// reserves `reserved` bytes (written as `2 × reserved` hex digits).
pub(crate) fn render(
    evidence: &Evidence,
    xml: &[u8],
    reserved: usize,
    signing_time: SystemTime,
) -> Result<Rendered, PadesError> {
    let mut pages = lay_out(evidence);
    decorate(&mut pages, evidence);

    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let pages_id = alloc();
    let fonts = [alloc(), alloc(), alloc()];
    let info_id = alloc();
    let embedded_id = alloc();
    let filespec_id = alloc();
    let field_id = alloc();
    let sig_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();
    let first_page = page_ids[0].0;

    let mut pdf = Pdf::new();
    let file_name = evidence.xml_file_name();

    {
        let mut catalog = pdf.catalog(catalog_id);
        catalog.pages(pages_id);
        catalog.lang(TextStr("fr-FR"));
        catalog
            .form()
            .fields([field_id])
            .sig_flags(SigFlags::SIGNATURES_EXIST | SigFlags::APPEND_ONLY);
        catalog
            .names()
            .embedded_files()
            .names()
            .insert(Str(file_name.as_bytes()), filespec_id);
        // The typed `associated_files()` writes inline dictionaries: the /AF array must hold a
        // reference to the one filespec also named in /EmbeddedFiles.
        catalog.insert(Name(b"AF")).array().item(filespec_id);
    }
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
    for (id, base) in fonts.iter().zip([
        Name(b"Helvetica"),
        Name(b"Helvetica-Bold"),
        Name(b"Courier"),
    ]) {
        pdf.type1_font(*id)
            .base_font(base)
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (i, (content, (page_id, content_id))) in pages.into_iter().zip(&page_ids).enumerate() {
        let mut page = pdf.page(*page_id);
        page.parent(pages_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(*content_id);
        page.resources()
            .fonts()
            .pair(Font::Regular.resource(), fonts[0])
            .pair(Font::Bold.resource(), fonts[1])
            .pair(Font::Mono.resource(), fonts[2]);
        if i == 0 {
            page.annotations([field_id]);
        }
        page.finish();
        pdf.stream(*content_id, &content.finish());
    }

    // The signature field, merged with its invisible widget on the first page.
    {
        let mut field = pdf.form_field(field_id);
        field
            .field_type(FieldType::Signature)
            .partial_name(TextStr("EvidenceSeal"));
        field.pair(Name(b"V"), sig_id);
        let mut widget = field.into_annotation();
        widget
            .rect(Rect::new(0.0, 0.0, 0.0, 0.0))
            .flags(AnnotationFlags::PRINT | AnnotationFlags::LOCKED)
            .page(first_page);
    }

    {
        let mut embedded = pdf.embedded_file(embedded_id, xml);
        embedded.subtype(Name(b"text/xml"));
        embedded
            .params()
            .size(i32::try_from(xml.len()).unwrap_or(i32::MAX))
            .modification_date(pdf_date(evidence.event_time));
    }
    pdf.file_spec(filespec_id)
        .path(Str(file_name.as_bytes()))
        .unic_file(TextStr(&file_name))
        .description(TextStr("Données de la preuve (XML) / Evidence data (XML)"))
        .association_kind(AssociationKind::Data)
        .embedded_file_with_unicode(embedded_id);

    pdf.document_info(info_id)
        .title(TextStr(&format!(
            "{} — {}",
            evidence.kind.title_fr(),
            evidence.id
        )))
        .subject(TextStr(evidence.kind.title_en()))
        .author(TextStr(&evidence.issuer.name))
        .creator(TextStr("Pli evidence engine"))
        .producer(TextStr("Pli evidence engine (pdf-writer)"))
        .creation_date(pdf_date(evidence.event_time));

    // The signature dictionary comes last, so that nothing the evidence contains (the XML is
    // written verbatim) can be mistaken for its placeholders below.
    let sig_offset = pdf.len();
    {
        let mut sig = pdf.indirect(sig_id).dict();
        sig.pair(Name(b"Type"), Name(b"Sig"));
        sig.pair(Name(b"Filter"), Name(b"Adobe.PPKLite"));
        sig.pair(Name(b"SubFilter"), Name(b"ETSI.CAdES.detached"));
        sig.insert(Name(b"ByteRange"))
            .array()
            .items([0, i32::MAX, i32::MAX, i32::MAX]);
        // Non-ASCII bytes are written as a hex string of exactly 2 × `reserved` digits.
        sig.pair(Name(b"Contents"), Str(&vec![0xFF; reserved]));
        sig.pair(Name(b"M"), pdf_date(signing_time));
    }

    let digest = Sha256::digest(evidence.id.as_bytes());
    pdf.set_file_id((digest[..16].to_vec(), digest[..16].to_vec()));
    let mut bytes = pdf.finish();

    let placeholder = || PadesError::Pdf("signature placeholder not found");
    let find = |bytes: &[u8], from: usize, needle: &[u8]| {
        bytes[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let br = find(&bytes, sig_offset, b"/ByteRange").ok_or_else(placeholder)?;
    let br_open = find(&bytes, br, b"[").ok_or_else(placeholder)?;
    let br_close = find(&bytes, br_open, b"]").ok_or_else(placeholder)?;
    let contents_key = find(&bytes, sig_offset, b"/Contents").ok_or_else(placeholder)?;
    let start = find(&bytes, contents_key, b"<").ok_or_else(placeholder)?;
    let end = find(&bytes, start, b">").ok_or_else(placeholder)? + 1;
    if end - start != 2 * reserved + 2 {
        return Err(placeholder());
    }

    let byte_range = format!("0 {start} {end} {}", bytes.len() - end);
    let slot = &mut bytes[br_open + 1..br_close];
    if byte_range.len() > slot.len() {
        return Err(placeholder());
    }
    slot.fill(b' ');
    slot[..byte_range.len()].copy_from_slice(byte_range.as_bytes());

    Ok(Rendered {
        bytes,
        contents: start..end,
    })
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
