//! The files an import hands out: the template (CSV, and XLSX with drop-down lists and an
//! instructions sheet) and the errors file (the uploaded rows with a "Masalah" column).
//! Every cell written passes through [`neutralised`], so no file of ours runs a formula.

use pantau_core::display::Language;
use pantau_core::import::{neutralised, Cell, COLUMNS, OPTIONAL_COLUMNS, PROBLEMS_COLUMN};
use pantau_core::intake::{CONSENT_TEXT_ID, PAID_MONTHS_CHOICES};
use pantau_core::premium::{PremiumRules, Program};
use pantau_core::{Field, FundingSource, Segment, Sex};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, XlsxError};

use super::file::Sheet;

/// The CSV template: the headers, `;`-separated as Excel in the Indonesian locale reads it,
/// with a byte-order mark so that Excel takes it as UTF-8.
pub fn csv() -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let headers: Vec<&str> = COLUMNS.iter().map(|(_, header)| *header).collect();
    out.extend_from_slice(headers.join(";").as_bytes());
    out.extend_from_slice(b"\r\n");
    out
}

/// Rows of the template's data sheet that carry the drop-down lists and text formats.
const TEMPLATE_ROWS: u32 = 100_000;

/// What each column holds, for the instructions sheet.
fn explanation(field: Field) -> String {
    let rules = PremiumRules::default();
    if field == Field::Income {
        return format!(
            "Penghasilan sebulan dalam rupiah tanpa titik, salah satu tingkat: mulai {} naik per {}.",
            rules.lowest_income, rules.income_step
        );
    }
    let text = match field {
        Field::Nik => "16 angka sesuai KTP. Kolom ini berformat Teks agar Excel tidak membulatkannya.",
        Field::FullName => "Nama sesuai KTP.",
        Field::BirthDate => "TTTT-BB-HH atau HH/BB/TTTT, sama dengan tanggal lahir di dalam NIK.",
        Field::Sex => "L atau P (Laki-laki/Perempuan).",
        Field::Phone => "Nomor HP 08…; boleh kosong.",
        Field::Address => "RT/RW, dusun; 5–200 karakter.",
        Field::Segment => "Pilih dari daftar (lembar Pilihan).",
        Field::OccupationOther => "Wajib bila Segmen = Lainnya; selain itu kosongkan.",
        Field::Village => "Kode desa Kemendagri, misalnya 32.16.01.2001. Boleh kosong bila mengimpor ke satu desa.",
        Field::Program => "JKK + JKM atau JKK + JKM + JHT.",
        Field::Funding => "Pilih dari daftar (lembar Pilihan).",
        Field::Sponsor => "Nama perusahaan, wajib bila Sumber Dana = CSR perusahaan.",
        Field::CoverageStart => {
            "Bulan mulai, TTTT-BB atau BB/TTTT; paling lama 3 bulan lalu, paling jauh 12 bulan lagi."
        }
        Field::PaidMonths => "1, 3, 6 atau 12.",
        Field::MembershipNumber => "Nomor KPJ 11 angka bila sudah ada; boleh kosong.",
        Field::Consent => "Ya bila pekerja menyetujui pernyataan di bawah; baris tanpa Ya tidak disimpan.",
        _ => "",
    };
    text.to_owned()
}

/// The XLSX template: sheet "Data" with the headers, text-formatted NIK, phone and KPJ
/// columns and drop-down lists from sheet "Pilihan"; sheet "Petunjuk" explains each column.
pub fn xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let as_text = Format::new().set_num_format("@");
    let choices: Vec<(Field, Vec<String>)> = vec![
        (
            Field::Sex,
            Sex::ALL.iter().map(|s| s.label(Language::Id).to_owned()).collect(),
        ),
        (
            Field::Segment,
            Segment::ALL.iter().map(|s| s.label(Language::Id).to_owned()).collect(),
        ),
        (
            Field::Program,
            Program::ALL.iter().map(|p| p.label(Language::Id).to_owned()).collect(),
        ),
        (
            Field::Funding,
            FundingSource::ALL
                .iter()
                .map(|f| f.label(Language::Id).to_owned())
                .collect(),
        ),
        (
            Field::PaidMonths,
            PAID_MONTHS_CHOICES.iter().map(u16::to_string).collect(),
        ),
        (Field::Consent, vec!["Ya".to_owned(), "Tidak".to_owned()]),
        (Field::Income, {
            let rules = PremiumRules::default();
            (0..20)
                .map(|i| (rules.lowest_income + i * rules.income_step).to_string())
                .collect()
        }),
    ];
    {
        let data = workbook.add_worksheet();
        data.set_name("Data")?;
        for (column, (field, header)) in (0u16..).zip(COLUMNS) {
            data.write_string_with_format(0, column, header, &bold)?;
            data.set_column_width(column, 18)?;
            if matches!(
                field,
                Field::Nik | Field::Phone | Field::MembershipNumber | Field::Village
            ) {
                data.set_column_format(column, &as_text)?;
            }
        }
        data.set_freeze_panes(1, 0)?;
        for (list, (field, values)) in (0u16..).zip(&choices) {
            let Some(column) = COLUMNS.iter().position(|(f, _)| f == field) else {
                continue;
            };
            let column = u16::try_from(column).unwrap_or(0);
            let letter = char::from(b'A' + u8::try_from(list).unwrap_or(0));
            let formula = format!("=Pilihan!${letter}$2:${letter}${}", values.len() + 1);
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(formula))
                .set_error_message("Pilih salah satu isian dari daftar.")?;
            // The income list only suggests: other tiers of future rules stay possible.
            let validation = if *field == Field::Income {
                validation.ignore_blank(true).show_error_message(false)
            } else {
                validation
            };
            data.add_data_validation(1, column, TEMPLATE_ROWS, column, &validation)?;
        }
    }
    {
        let lists = workbook.add_worksheet();
        lists.set_name("Pilihan")?;
        for (column, (field, values)) in (0u16..).zip(&choices) {
            lists.write_string_with_format(0, column, pantau_core::import::header_of(*field), &bold)?;
            lists.set_column_width(column, 24)?;
            for (row, value) in (1u32..).zip(values) {
                lists.write_string(row, column, neutralised(value))?;
            }
        }
    }
    {
        let help = workbook.add_worksheet();
        help.set_name("Petunjuk")?;
        help.write_string_with_format(0, 0, "Kolom", &bold)?;
        help.write_string_with_format(0, 1, "Wajib", &bold)?;
        help.write_string_with_format(0, 2, "Isian", &bold)?;
        help.set_column_width(0, 20)?;
        help.set_column_width(2, 90)?;
        for (row, (field, header)) in (1u32..).zip(COLUMNS) {
            help.write_string(row, 0, header)?;
            help.write_string(
                row,
                1,
                if OPTIONAL_COLUMNS.contains(&field) {
                    "Tidak"
                } else {
                    "Ya"
                },
            )?;
            help.write_string(row, 2, explanation(field))?;
        }
        let after = u32::try_from(COLUMNS.len()).unwrap_or(0) + 2;
        help.write_string_with_format(after, 0, "Pernyataan persetujuan", &bold)?;
        help.write_string(after, 2, CONSENT_TEXT_ID)?;
        help.write_string(
            after + 2,
            2,
            "Isi lembar Data mulai baris 2, satu baris per pekerja. Unggah berkas ini di Pantau (Impor), \
             periksa hasil uji, lalu simpan.",
        )?;
    }
    workbook.save_to_buffer()
}

/// The errors file: the uploaded rows in their order with the header and a last column
/// "Masalah" holding each row's problems (empty for a good row), every cell neutralised,
/// separated as the upload was, UTF-8 with a byte-order mark.
pub fn errors_csv(sheet: &Sheet, problems_by_row: &std::collections::HashMap<u32, String>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(sheet.delimiter)
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header: Vec<String> = sheet.headers.iter().map(|h| neutralised(h).into_owned()).collect();
    header.push(PROBLEMS_COLUMN.to_owned());
    let width = sheet.headers.len();
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&header);
    for (row, cells) in &sheet.rows {
        let mut record: Vec<String> = (0..width)
            .map(|i| {
                cells
                    .get(i)
                    .map_or_else(String::new, |cell: &Cell| neutralised(&cell.text()).into_owned())
            })
            .collect();
        record.push(
            problems_by_row
                .get(row)
                .map(|p| neutralised(p).into_owned())
                .unwrap_or_default(),
        );
        let _ = writer.write_record(&record);
    }
    writer.into_inner().unwrap_or_default()
}
