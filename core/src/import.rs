//! Reading a spreadsheet of workers into enrolment forms: the template's columns, the cell
//! forms that offices' files really hold (day-first dates, Excel number and date cells, the
//! form's labels instead of the API's codes, NIKs with invisible characters), and the
//! neutralising of formula-like cells in every spreadsheet Pantau writes.
//!
//! A row becomes an [`EnrolmentDraft`] and goes through [`crate::intake::validate`], the same
//! check as the form; this module only adds what a cell can get wrong before that (a NIK that
//! Excel turned into `3,21601E+15`, a segment nobody can read), in the same [`FieldProblem`]s.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::enrolment::{FundingSource, Segment};
use crate::error::Field;
use crate::intake::{EnrolmentDraft, FieldProblem, Problem, Severity};
use crate::nik::Sex;
use crate::premium::Program;
use crate::wire::WireName;

/// Most data rows one file may hold (a regency's list; Kab. Bekasi reports 75,903 covered).
pub const MAX_ROWS: usize = 100_000;
/// Largest file accepted, bytes: 100,000 full rows of the template as CSV stay below it.
pub const MAX_FILE_BYTES: usize = 48 * 1024 * 1024;

/// The template's columns in order: the form field each fills and its header.
pub const COLUMNS: [(Field, &str); 17] = [
    (Field::Nik, "NIK"),
    (Field::FullName, "Nama Lengkap"),
    (Field::BirthDate, "Tanggal Lahir"),
    (Field::Sex, "Jenis Kelamin"),
    (Field::Phone, "Telepon"),
    (Field::Address, "Alamat"),
    (Field::Segment, "Segmen"),
    (Field::OccupationOther, "Pekerjaan Lain"),
    (Field::Village, "Kode Desa"),
    (Field::Program, "Program"),
    (Field::Income, "Penghasilan"),
    (Field::Funding, "Sumber Dana"),
    (Field::Sponsor, "Sponsor"),
    (Field::CoverageStart, "Mulai Kepesertaan"),
    (Field::PaidMonths, "Bulan Dibayar"),
    (Field::MembershipNumber, "Nomor KPJ"),
    (Field::Consent, "Persetujuan"),
];

/// Columns that may be left out of a file: the form's optional fields, the ones only some
/// rows need, and the village when the file is imported into one village.
pub const OPTIONAL_COLUMNS: [Field; 5] = [
    Field::Phone,
    Field::OccupationOther,
    Field::Sponsor,
    Field::MembershipNumber,
    Field::Village,
];

/// Name of the column the errors file adds, holding each row's problems.
pub const PROBLEMS_COLUMN: &str = "Masalah";

/// The header of `field`'s column.
pub fn header_of(field: Field) -> &'static str {
    COLUMNS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("", |(_, header)| header)
}

/// A header as it is compared: lower case, without spaces, underscores, hyphens or invisible
/// characters, so `Nama_Lengkap`, `NAMA LENGKAP` and `namalengkap` are one column.
fn header_key(raw: &str) -> String {
    raw.chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '_' | '-') || is_invisible(*c)))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field whose column `header` names, if any.
pub fn column_of(header: &str) -> Option<Field> {
    let key = header_key(header);
    COLUMNS
        .iter()
        .find(|(_, name)| header_key(name) == key)
        .map(|(field, _)| *field)
}

/// Zero-width and byte-order characters that copy-and-paste brings along, invisible in a cell.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A cell as the file holds it. CSV cells are all text; an XLSX cell may be a number or a
/// date the spreadsheet stored as such.
#[derive(Clone, PartialEq)]
pub enum Cell {
    /// Nothing in the cell.
    Empty,
    /// Text.
    Text(String),
    /// A number cell.
    Number(f64),
    /// A date cell.
    Date(Date),
}

impl std::fmt::Debug for Cell {
    /// Only the kind: a cell holds personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Cell::Empty => "Empty",
            Cell::Text(_) => "Text(..)",
            Cell::Number(_) => "Number(..)",
            Cell::Date(_) => "Date(..)",
        })
    }
}

impl Cell {
    /// The cell as text, trimmed: numbers without a fraction as whole numbers, dates as ISO.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(text) => Cow::Borrowed(text.trim()),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e17 => Cow::Owned(format!("{n:.0}")),
            Cell::Number(n) => Cow::Owned(n.to_string()),
            Cell::Date(date) => Cow::Owned(date.to_string()),
        }
    }
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return before one) gets a leading apostrophe, so that opening the errors file or an export
/// never executes what someone typed (OWASP "CSV injection").
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// A row of a file turned into a form: the draft, and what its cells got wrong before the
/// form's own check (at most one problem per field).
pub struct RowDraft {
    /// The form the row fills.
    pub draft: EnrolmentDraft,
    /// Problems of cells that could not be read into the form.
    pub cell_problems: Vec<FieldProblem>,
}

/// Fills a form from a row's cells (`cells[i]` in the column of `fields[i]`; a field without
/// a column is empty). `village` is used when the row has no village code (a file imported
/// into one village).
pub fn draft_of_row(fields: &[Field], cells: &[Cell], village: Option<&str>) -> RowDraft {
    let mut draft = EnrolmentDraft::default();
    let mut problems = Vec::new();
    let mut refuse = |field: Field, problem: Problem| problems.push(FieldProblem::new(field, problem));
    for (field, cell) in fields.iter().zip(cells) {
        let text = cell.text();
        let text = text.as_ref();
        match field {
            Field::Nik => match nik_of(cell) {
                Ok(nik) => draft.nik = nik,
                Err(problem) => refuse(*field, problem),
            },
            Field::FullName => draft.full_name = text.to_owned(),
            Field::BirthDate => draft.birth_date = date_of(cell),
            Field::Sex => match choice(text, sex_of) {
                Ok(sex) => draft.sex = sex,
                Err(problem) => refuse(*field, problem),
            },
            Field::Phone => draft.phone = phone_of(cell),
            Field::Address => draft.address = text.to_owned(),
            Field::Segment => match choice(text, labelled::<Segment>) {
                Ok(segment) => draft.segment = segment,
                Err(problem) => refuse(*field, problem),
            },
            Field::OccupationOther => draft.occupation_other = text.to_owned(),
            Field::Village => draft.village = without_invisible(text),
            Field::Program => match choice(text, program_of) {
                Ok(program) => draft.program = program,
                Err(problem) => refuse(*field, problem),
            },
            Field::Income => match choice(text, rupiah) {
                Ok(income) => draft.income = income,
                Err(_) => refuse(*field, Problem::IncomeNotTier),
            },
            Field::Funding => match choice(text, labelled::<FundingSource>) {
                Ok(funding) => draft.funding = funding,
                Err(problem) => refuse(*field, problem),
            },
            Field::Sponsor => draft.sponsor = text.to_owned(),
            Field::CoverageStart => draft.coverage_start = month_of(cell),
            Field::PaidMonths => match choice(text, |t| t.parse::<u16>().ok()) {
                Ok(months) => draft.paid_months = months,
                Err(_) => refuse(*field, Problem::PaidMonthsInvalid),
            },
            Field::MembershipNumber => draft.membership_number = without_invisible(text),
            Field::Consent => match choice(text, consent_of) {
                Ok(consent) => draft.consent = consent.unwrap_or(false),
                Err(problem) => refuse(*field, problem),
            },
            _ => {}
        }
    }
    if draft.village.is_empty() {
        if let Some(village) = village {
            village.clone_into(&mut draft.village);
        }
    }
    RowDraft {
        draft,
        cell_problems: problems,
    }
}

/// Merges a row's cell problems with the form's check of its draft: a field keeps its cell
/// problem (the more fundamental one) and the form's problem only where the cell had none.
pub fn merged(cell_problems: Vec<FieldProblem>, form_problems: Vec<FieldProblem>) -> Vec<FieldProblem> {
    let mut all = cell_problems;
    for problem in form_problems {
        if !all.iter().any(|p| p.field == problem.field) {
            all.push(problem);
        }
    }
    let order = |field: Field| COLUMNS.iter().position(|(f, _)| *f == field).unwrap_or(usize::MAX);
    all.sort_by_key(|p| order(p.field));
    all
}

/// `None` for an empty cell, the value when `parse` reads it, else `ChoiceUnknown`.
fn choice<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>, Problem> {
    if text.is_empty() {
        return Ok(None);
    }
    parse(text).map(Some).ok_or(Problem::ChoiceUnknown)
}

/// A category by its API code or its Indonesian or English label, ignoring case.
fn labelled<T: WireName + Labelled>(text: &str) -> Option<T> {
    let key = text.trim().to_lowercase();
    T::VALUES.iter().copied().find(|value| {
        value.wire() == key || value.label_id().to_lowercase() == key || value.label_en().to_lowercase() == key
    })
}

/// The two labels of a category.
trait Labelled {
    fn label_id(self) -> &'static str;
    fn label_en(self) -> &'static str;
}

macro_rules! labelled {
    ($($t:ty),+) => {$(
        impl Labelled for $t {
            fn label_id(self) -> &'static str {
                self.label(crate::display::Language::Id)
            }
            fn label_en(self) -> &'static str {
                self.label(crate::display::Language::En)
            }
        }
    )+};
}
labelled!(Segment, FundingSource, Sex, Program);

fn sex_of(text: &str) -> Option<Sex> {
    match text.trim().to_lowercase().as_str() {
        "l" | "lk" | "laki" | "pria" | "m" => Some(Sex::Male),
        "p" | "pr" | "wanita" | "f" => Some(Sex::Female),
        _ => labelled::<Sex>(text),
    }
}

fn program_of(text: &str) -> Option<Program> {
    let compact: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    match compact.as_str() {
        "jkkjkm" => Some(Program::JkkJkm),
        "jkkjkmjht" => Some(Program::JkkJkmJht),
        _ => labelled::<Program>(text),
    }
}

fn consent_of(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "ya" | "y" | "yes" | "setuju" | "true" | "1" => Some(true),
        "tidak" | "t" | "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Rupiah as offices write them: `1000000`, `1.000.000`, `Rp 1.000.000`, `1,000,000` or
/// `1000000,00` (a decimal part of zeros only).
fn rupiah(text: &str) -> Option<u64> {
    let text = text.trim();
    let text = text
        .strip_prefix("Rp")
        .or_else(|| text.strip_prefix("rp"))
        .or_else(|| text.strip_prefix("RP"))
        .unwrap_or(text)
        .trim_start_matches('.')
        .trim();
    // A decimal part of zeros after the last separator, if it has one or two digits.
    let whole = match text.rfind([',', '.']) {
        Some(at) if (1..=2).contains(&(text.len() - at - 1)) && text[at + 1..].bytes().all(|b| b == b'0') => {
            &text[..at]
        }
        _ => text,
    };
    let digits: String = whole
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 12 {
        return None;
    }
    digits.parse().ok()
}

/// A phone cell; a number cell has lost the leading zero of `08…`, which is given back.
fn phone_of(cell: &Cell) -> String {
    match cell {
        Cell::Number(_) => {
            let digits = cell.text();
            if digits.starts_with('8') {
                format!("0{digits}")
            } else {
                digits.into_owned()
            }
        }
        other => without_invisible(&other.text()),
    }
}

fn without_invisible(text: &str) -> String {
    text.chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if c == '\u{a0}' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The NIK of a cell: digits with spaces, no-break and zero-width spaces dropped; a number
/// cell read exactly (16 digits fit a spreadsheet's number without loss); one that a
/// spreadsheet already changed (`3,21601E+15`, or a number of fewer than 16 digits) is
/// `NikChangedByExcel`. An empty cell is left to the form's `Required`.
fn nik_of(cell: &Cell) -> Result<String, Problem> {
    match cell {
        Cell::Number(n) => {
            let digits = format!("{n:.0}");
            if n.fract() != 0.0 || *n < 0.0 || digits.len() != 16 {
                return Err(Problem::NikChangedByExcel);
            }
            Ok(digits)
        }
        Cell::Date(_) => Err(Problem::NikChangedByExcel),
        Cell::Empty => Ok(String::new()),
        Cell::Text(text) => {
            let cleaned: String = text
                .chars()
                .filter(|c| !(c.is_whitespace() || is_invisible(*c)))
                .collect::<String>()
                // A leading apostrophe is how a spreadsheet user keeps a number as text.
                .trim_start_matches('\'')
                .to_owned();
            let scientific = cleaned.contains(['E', 'e'])
                && cleaned
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, 'E' | 'e' | '+' | '-' | ',' | '.'));
            if scientific {
                return Err(Problem::NikChangedByExcel);
            }
            Ok(cleaned)
        }
    }
}

/// A date cell as ISO `YYYY-MM-DD`; text in `YYYY-MM-DD`, or day first as `DD/MM/YYYY` or
/// `DD-MM-YYYY` (one-digit day and month allowed), rewritten to ISO. Anything else is passed
/// on as it is for the form's check to refuse.
fn date_of(cell: &Cell) -> String {
    let text = match cell {
        Cell::Date(date) => return date.to_string(),
        other => other.text().into_owned(),
    };
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match parts[..] {
        [day, month, year] if parts.iter().all(numeric) && year.len() == 4 && day.len() <= 2 && month.len() <= 2 => {
            format!("{year}-{month:0>2}-{day:0>2}")
        }
        _ => text,
    }
}

/// A month cell as `YYYY-MM`: from `YYYY-MM`, `MM/YYYY` or `MM-YYYY`, a full date (a
/// spreadsheet turns `2026-12` into 1 December 2026) or a date cell.
fn month_of(cell: &Cell) -> String {
    let text = match cell {
        Cell::Date(date) => return format!("{:04}-{:02}", date.year(), u8::from(date.month())),
        other => other.text().into_owned(),
    };
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(numeric) {
        return text;
    }
    match parts[..] {
        [month, year] if year.len() == 4 && month.len() <= 2 => format!("{year}-{month:0>2}"),
        [year, month] if year.len() == 4 && month.len() <= 2 => format!("{year}-{month:0>2}"),
        [year, month, _] if year.len() == 4 && month.len() <= 2 => format!("{year}-{month:0>2}"),
        [_, month, year] if year.len() == 4 && month.len() <= 2 => format!("{year}-{month:0>2}"),
        _ => text,
    }
}

/// `dry_run` checks and writes nothing; `commit` stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Check every row, store nothing.
    DryRun,
    /// Store the rows (all valid, or with `only_valid` the valid ones).
    Commit,
}

/// One problem of one row, as the import answer and the errors file give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    /// The row as the spreadsheet numbers it: the header is row 1.
    pub row: u32,
    /// The template's header of the column at fault.
    pub column: String,
    /// Stable code, the form's where the form has one.
    pub problem: Problem,
    /// Whether it keeps the row out.
    pub severity: Severity,
    /// Bahasa Indonesia; never repeats the cell.
    pub message: String,
}

/// The answer of an import, dry run or commit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Data rows read (the header not counted).
    pub rows: u32,
    /// Rows without an error (including unchanged ones).
    pub valid: u32,
    /// Rows with at least one error.
    pub invalid: u32,
    /// Records stored by this request (0 in a dry run).
    pub created: u32,
    /// Rows already stored with the same data (same NIK in the same village): nothing to do.
    pub unchanged: u32,
    /// The batch that `DELETE /imports/{batch_id}` undoes, when records were stored.
    pub batch_id: Option<String>,
    /// Every problem, by row then column.
    pub problems: Vec<RowProblem>,
}

/// A batch of imported records as the workspace lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportBatch {
    /// Its id.
    pub batch_id: String,
    /// The area imported into.
    pub area: String,
    /// Who imported it.
    pub imported_by: String,
    /// When, RFC 3339.
    pub imported_at: String,
    /// Records it stored.
    pub created: u32,
    /// When it was undone, if it was.
    pub undone_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn headers_match_ignoring_case_spaces_and_underscores() {
        assert_eq!(column_of("nama_lengkap"), Some(Field::FullName));
        assert_eq!(column_of(" NAMA LENGKAP "), Some(Field::FullName));
        assert_eq!(column_of("\u{feff}NIK"), Some(Field::Nik));
        assert_eq!(column_of("KodeDesa"), Some(Field::Village));
        assert_eq!(column_of("Nama"), None);
        for (field, header) in COLUMNS {
            assert_eq!(column_of(header), Some(field));
        }
    }

    #[test]
    fn nik_cells_are_cleaned_or_refused_when_excel_changed_them() {
        assert_eq!(nik_of(&text("3216 0101 0190 0012")), Ok("3216010101900012".into()));
        assert_eq!(nik_of(&text("3216\u{a0}010101900012")), Ok("3216010101900012".into()));
        assert_eq!(nik_of(&text("3216\u{200b}010101900012")), Ok("3216010101900012".into()));
        assert_eq!(nik_of(&text("'3216010101900012")), Ok("3216010101900012".into()));
        assert_eq!(
            nik_of(&Cell::Number(3_216_010_101_900_012.0)),
            Ok("3216010101900012".into())
        );
        assert_eq!(nik_of(&text("3,21601E+15")), Err(Problem::NikChangedByExcel));
        assert_eq!(nik_of(&text("3.21601e15")), Err(Problem::NikChangedByExcel));
        assert_eq!(
            nik_of(&Cell::Number(321_601_010_190_001.0)),
            Err(Problem::NikChangedByExcel)
        );
        // Letters stay for the form to refuse as not digits.
        assert_eq!(nik_of(&text("32160101019000AB")), Ok("32160101019000AB".into()));
    }

    #[test]
    fn dates_and_months_in_the_forms_offices_write() {
        assert_eq!(date_of(&text("1990-01-01")), "1990-01-01");
        assert_eq!(date_of(&text("01/02/1990")), "1990-02-01");
        assert_eq!(date_of(&text("1-2-1990")), "1990-02-01");
        assert_eq!(date_of(&Cell::Date(time::macros::date!(1990 - 02 - 01))), "1990-02-01");
        assert_eq!(date_of(&text("2/1990")), "2/1990");
        assert_eq!(month_of(&text("2026-11")), "2026-11");
        assert_eq!(month_of(&text("11/2026")), "2026-11");
        assert_eq!(month_of(&text("1/2027")), "2027-01");
        assert_eq!(month_of(&text("2026-11-01")), "2026-11");
        assert_eq!(month_of(&Cell::Date(time::macros::date!(2026 - 12 - 01))), "2026-12");
        assert_eq!(month_of(&text("Nov 2026")), "Nov 2026");
    }

    #[test]
    fn categories_by_label_or_code_and_amounts_as_written() {
        assert_eq!(labelled::<Segment>("Petani/buruh tani"), Some(Segment::Farmer));
        assert_eq!(labelled::<Segment>("farmer"), Some(Segment::Farmer));
        assert_eq!(labelled::<Segment>("NELAYAN"), Some(Segment::Fisher));
        assert_eq!(labelled::<FundingSource>("dana_desa"), Some(FundingSource::DanaDesa));
        assert_eq!(labelled::<FundingSource>("Dana Desa"), Some(FundingSource::DanaDesa));
        assert_eq!(program_of("JKK+JKM"), Some(Program::JkkJkm));
        assert_eq!(program_of("jkk_jkm_jht"), Some(Program::JkkJkmJht));
        assert_eq!(sex_of("L"), Some(Sex::Male));
        assert_eq!(sex_of("perempuan"), Some(Sex::Female));
        assert_eq!(consent_of("Ya"), Some(true));
        assert_eq!(consent_of("Tidak"), Some(false));
        assert_eq!(consent_of("mungkin"), None);
        assert_eq!(rupiah("1000000"), Some(1_000_000));
        assert_eq!(rupiah("Rp 1.000.000"), Some(1_000_000));
        assert_eq!(rupiah("1,000,000"), Some(1_000_000));
        assert_eq!(rupiah("1000000,00"), Some(1_000_000));
        assert_eq!(rupiah("satu juta"), None);
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralised("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralised("+62812"), "'+62812");
        assert_eq!(neutralised("-1"), "'-1");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("Budi"), "Budi");
    }

    #[test]
    fn a_row_fills_the_form_and_keeps_cell_problems_first() {
        let fields: Vec<Field> = COLUMNS.iter().map(|(f, _)| *f).collect();
        let mut cells = vec![Cell::Empty; fields.len()];
        cells[0] = text("3,21601E+15");
        cells[3] = text("L");
        cells[6] = text("tukang sihir");
        cells[16] = text("Ya");
        let row = draft_of_row(&fields, &cells, Some("32.16.01.2001"));
        assert_eq!(row.draft.village, "32.16.01.2001");
        assert_eq!(row.draft.sex, Some(Sex::Male));
        assert!(row.draft.consent);
        let problems: Vec<_> = row.cell_problems.iter().map(|p| (p.field, p.problem)).collect();
        assert_eq!(
            problems,
            [
                (Field::Nik, Problem::NikChangedByExcel),
                (Field::Segment, Problem::ChoiceUnknown)
            ]
        );
        let merged = merged(
            row.cell_problems,
            vec![FieldProblem::new(Field::Nik, Problem::Required)],
        );
        assert_eq!(merged[0].problem, Problem::NikChangedByExcel);
    }
}
