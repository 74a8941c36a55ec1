//! Reading an uploaded spreadsheet into rows of cells: CSV in the encodings and separators
//! that Excel and LibreOffice write, or the first (or "Data") sheet of an XLSX workbook.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use pantau_core::import::{Cell, MAX_ROWS};
use time::Date;

/// Why a file cannot be read at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Not CSV or XLSX, broken, or without a header and a data row.
    Unreadable,
    /// A CSV in an encoding other than UTF-8, UTF-16 or Windows-1252.
    Encoding,
    /// More than [`MAX_ROWS`] data rows.
    TooManyRows,
}

/// A file's rows: the header, then each data row with the number the spreadsheet shows it
/// under (the header is row 1 when it is the first line). Rows with nothing in them are left
/// out, as spreadsheets add them at the end.
pub struct Sheet {
    /// The header cells, as written.
    pub headers: Vec<String>,
    /// `(row number, cells)`.
    pub rows: Vec<(u32, Vec<Cell>)>,
    /// The CSV separator, to write the errors file with the one the office's Excel reads.
    pub delimiter: u8,
}

/// Whether `bytes` are an XLSX workbook (a ZIP archive) rather than text.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads a CSV or XLSX file.
pub fn read(bytes: &[u8]) -> Result<Sheet, FileError> {
    if is_xlsx(bytes) {
        read_xlsx(bytes)
    } else {
        read_csv(&decode(bytes)?)
    }
}

/// Bytes of Windows-1252 that it leaves undefined: a file holding them is in another encoding.
const UNDEFINED_IN_1252: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// The text of a CSV: UTF-8 (with or without byte-order mark), UTF-16 with its mark (Excel's
/// "Unicode text"), or else Windows-1252, which Excel in the Indonesian locale writes by
/// default ("CSV (dipisahkan koma)"); anything else is refused rather than guessed at.
fn decode(bytes: &[u8]) -> Result<String, FileError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return if had_errors {
            Err(FileError::Encoding)
        } else {
            Ok(text.into_owned())
        };
    }
    if bytes.contains(&0) {
        // NUL bytes: a binary file, or UTF-16 without its mark.
        return Err(FileError::Unreadable);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) if bytes.iter().any(|b| UNDEFINED_IN_1252.contains(b)) => Err(FileError::Encoding),
        Err(_) => Ok(encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned()),
    }
}

/// The separator of the header line: the most frequent of `;` `,` and tab outside quotes.
fn delimiter_of(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut counts = [(b';', 0), (b',', 0), (b'\t', 0)];
    for c in header.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(count) = counts.iter_mut().find(|(d, _)| *d == c) {
                count.1 += 1;
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

fn read_csv(text: &str) -> Result<Sheet, FileError> {
    let delimiter = delimiter_of(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(str::to_owned).collect(),
        _ => return Err(FileError::Unreadable),
    };
    let mut rows = Vec::new();
    for (index, record) in records.enumerate() {
        let record = record.map_err(|_| FileError::Unreadable)?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        let cells = record
            .iter()
            .map(|cell| {
                if cell.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(cell.to_owned())
                }
            })
            .collect();
        rows.push((row_number(index), cells));
    }
    finish(headers, rows, delimiter)
}

/// The spreadsheet's number of the data row at `index` (0 = the line after the header).
fn row_number(index: usize) -> u32 {
    u32::try_from(index + 2).unwrap_or(u32::MAX)
}

fn finish(headers: Vec<String>, rows: Vec<(u32, Vec<Cell>)>, delimiter: u8) -> Result<Sheet, FileError> {
    if headers.iter().all(|h| h.trim().is_empty()) || rows.is_empty() {
        return Err(FileError::Unreadable);
    }
    Ok(Sheet {
        headers,
        rows,
        delimiter,
    })
}

/// The sheet named "Data" (the template's), else the first.
fn read_xlsx(bytes: &[u8]) -> Result<Sheet, FileError> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| FileError::Unreadable)?;
    let names = workbook.sheet_names();
    let name = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("data"))
        .or_else(|| names.first())
        .ok_or(FileError::Unreadable)?
        .clone();
    let range = workbook.worksheet_range(&name).map_err(|_| FileError::Unreadable)?;
    let first_row = range.start().map_or(0, |(row, _)| row);
    let first_column = range.start().map_or(0, |(_, column)| column);
    let mut lines = range.rows();
    let header_line = lines.next().ok_or(FileError::Unreadable)?;
    // Cells left of the used range are empty; keep columns where the spreadsheet has them.
    let pad = usize::try_from(first_column).unwrap_or(0);
    let headers: Vec<String> = std::iter::repeat_n(String::new(), pad)
        .chain(header_line.iter().map(|cell| cell_of(cell).text().into_owned()))
        .collect();
    let mut rows = Vec::new();
    for (index, line) in lines.enumerate() {
        let cells: Vec<Cell> = std::iter::repeat_n(Cell::Empty, pad)
            .chain(line.iter().map(cell_of))
            .collect();
        if cells.iter().all(|c| c.text().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        // `first_row` is 0-based; the header's spreadsheet number is `first_row + 1`.
        let number = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(first_row + 2);
        rows.push((number, cells));
    }
    finish(headers, rows, b';')
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text.clone()),
        #[allow(clippy::cast_precision_loss)] // an integer cell beyond 2^53 is no NIK
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(n) => Cell::Number(*n),
        Data::Bool(b) => Cell::Text(if *b { "Ya" } else { "Tidak" }.to_owned()),
        Data::DateTime(at) if at.is_datetime() => {
            let (year, month, day, ..) = at.to_ymd_hms_milli();
            time::Month::try_from(month)
                .ok()
                .and_then(|month| Date::from_calendar_date(i32::from(year), month, day).ok())
                .map_or(Cell::Empty, Cell::Date)
        }
        Data::DateTime(at) => Cell::Number(at.as_f64()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_separators_of_real_files() {
        let utf8 = "NIK;Nama Lengkap\r\n1;Siti Nurhaliza\r\n;;\r\n";
        let sheet = read(utf8.as_bytes()).unwrap();
        assert_eq!(sheet.delimiter, b';');
        assert_eq!(sheet.headers, ["NIK", "Nama Lengkap"]);
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.rows[0].0, 2);
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), b"NIK,Nama\n1,Ana\n"].concat();
        assert_eq!(read(&with_bom).unwrap().headers[0], "NIK");
        // "Sigit Purnomo Haryadi, Jalan Kenari" with é in Windows-1252.
        let cp1252 = b"NIK,Alamat\n1,Caf\xE9 Kenari\n";
        let sheet = read(cp1252).unwrap();
        assert_eq!(sheet.rows[0].1[1].text(), "Café Kenari");
        assert_eq!(read(b"NIK,Alamat\n1,\x81\x8D\n").err(), Some(FileError::Encoding));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("NIK\tNama\n1\tAna\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let sheet = read(&utf16).unwrap();
        assert_eq!((sheet.delimiter, sheet.rows.len()), (b'\t', 1));
        assert_eq!(read(b"NIK\n").err(), Some(FileError::Unreadable));
        assert_eq!(read(b"\x00\x01\x02").err(), Some(FileError::Unreadable));
    }
}
