//! Bulk import over HTTP: every kind of bad row at its row, column and code; the files
//! offices really have (Windows-1252, `;`, BOM, CRLF, XLSX number and date cells); dry run
//! writes nothing; commit all-or-valid; a second commit is unchanged; undo; the errors file
//! neutralises formulas; scope as for the form.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use pantau_core::account::Role;
use pantau_core::import::COLUMNS;
use pantau_server::store::ImportStore;
use serde_json::Value;

use super::*;
use crate::helpers::{enrol, enrolment, TestApp};

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A valid row for `nik` (a man born 5 July 1990, see [`nik_for`]) by header.
fn row(nik: &str, changes: &[(&str, &str)]) -> Vec<String> {
    let female = nik[6..8].parse::<u8>().unwrap() > 40;
    let base = [
        ("NIK", nik.to_owned()),
        ("Nama Lengkap", "Budi Santoso".to_owned()),
        ("Tanggal Lahir", "05/07/1990".to_owned()),
        ("Jenis Kelamin", if female { "P" } else { "L" }.to_owned()),
        ("Telepon", "0812 3456 7890".to_owned()),
        ("Alamat", "Dusun Krajan RT 01 RW 02".to_owned()),
        ("Segmen", "Petani/buruh tani".to_owned()),
        ("Pekerjaan Lain", String::new()),
        ("Kode Desa", VILLAGE_A.to_owned()),
        ("Program", "JKK + JKM".to_owned()),
        ("Penghasilan", "1.000.000".to_owned()),
        ("Sumber Dana", "Dana Desa".to_owned()),
        ("Sponsor", String::new()),
        ("Mulai Kepesertaan", this_month()),
        ("Bulan Dibayar", "12".to_owned()),
        ("Nomor KPJ", String::new()),
        ("Persetujuan", "Ya".to_owned()),
    ];
    base.into_iter()
        .map(|(header, value)| {
            changes
                .iter()
                .find(|(h, _)| *h == header)
                .map_or(value, |(_, v)| (*v).to_owned())
        })
        .collect()
}

/// A `;`-separated file with BOM and CRLF, as Excel in the Indonesian locale saves it.
fn excel_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let header: Vec<&str> = COLUMNS.iter().map(|(_, h)| *h).collect();
    let mut text = format!("\u{feff}{}\r\n", header.join(";"));
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains(';') || c.contains('"') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        text.push_str(&cells.join(";"));
        text.push_str("\r\n");
    }
    text.into_bytes()
}

async fn upload(session: &Session, app: &TestApp, area: &str, query: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let path = format!("/api/v1/areas/{area}/imports?{query}");
    session.raw(app, Method::POST, &path, Some(content_type), body).await
}

/// `(row, column, problem)` of every error of a report.
fn errors(report: &Value) -> BTreeSet<(u64, String, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
                p["problem"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// What an import changes: records, the village's and the nation's figures.
async fn traces(app: &TestApp) -> (u64, u64, u64) {
    (
        enrolment_count(app).await,
        public_counts(app, VILLAGE_A).await.0,
        public_counts(app, "ID").await.0,
    )
}

#[tokio::test]
async fn every_kind_of_bad_row_is_named_at_its_row_and_column_and_only_valid_rows_are_stored() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "op.import", Role::VillageOperator, VILLAGE_A).await;
    // Enrolled already in another village, outside the operator's scope.
    let elsewhere = enrolment(VILLAGE_A2, 77, crate::helpers::now().plus(3));
    enrol(&app, &elsewhere).await;
    let nik = |serial| nik_for("321601", serial, false);
    // The month as an Indonesian spreadsheet writes it, `MM/YYYY`.
    let month_first = format!("{}/{}", &this_month()[5..], &this_month()[..4]);
    let rows = vec![
        /* 2 */ row(&nik(1), &[("NIK", "3216 0105 0790 0001")]),
        /* 3 */
        row(
            &nik(2),
            &[
                ("NIK", "3216\u{a0}0105\u{200b}07900002"),
                ("Tanggal Lahir", "1990-07-05"),
                ("Mulai Kepesertaan", &month_first),
                ("Segmen", "farmer"),
                ("Sumber Dana", "dana_desa"),
                ("Program", "jkk_jkm"),
                ("Jenis Kelamin", "Laki-laki"),
                ("Kode Desa", ""),
            ],
        ),
        /* 4 */ row(&nik(3), &[("NIK", "3,216010E+15")]),
        /* 5 */ row(&nik(1), &[("Nama Lengkap", "Budi Dua")]),
        /* 6 */ row(&nik(4), &[("Kode Desa", VILLAGE_B)]),
        /* 7 */ row(&nik(5), &[("Segmen", "tukang sihir")]),
        /* 8 */ row(&nik(6), &[("Tanggal Lahir", "06/07/1990")]),
        /* 9 */ row(&nik(7), &[("Persetujuan", "Tidak")]),
        /* 10 */ row(elsewhere.nik.expose_digits(), &[("Tanggal Lahir", "15/08/1985")]),
        /* 11 */ row(&nik(8), &[("Penghasilan", "satu juta")]),
        /* 12 */ row(&nik(9), &[("Nama Lengkap", "=HYPERLINK(\"http://x.test\",\"klik\")")]),
        /* 13 */ row(&nik(10), &[("Kode Desa", "32.16.01.2999")]),
        /* 14 */ vec![String::new(); COLUMNS.len()],
        /* 15 */ row(&nik(11), &[("Mulai Kepesertaan", "2020-01"), ("Jenis Kelamin", "P")]),
    ];
    let file = excel_csv(&rows);
    let before = traces(&app).await;

    let dry = upload(&operator, &app, VILLAGE_A, "mode=dry_run", CSV, file.clone()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text);
    let expected: BTreeSet<(u64, String, String)> = [
        (4, "NIK", "nik_changed_by_excel"),
        (5, "NIK", "duplicate_in_file"),
        (6, "Kode Desa", "village_outside_area"),
        (7, "Segmen", "choice_unknown"),
        (8, "Tanggal Lahir", "birth_date_not_in_nik"),
        (9, "Persetujuan", "consent_required"),
        (10, "NIK", "already_enrolled"),
        (11, "Penghasilan", "income_not_tier"),
        (12, "Nama Lengkap", "name_characters"),
        (13, "Kode Desa", "village_unknown"),
        (15, "Jenis Kelamin", "sex_not_in_nik"),
        (15, "Mulai Kepesertaan", "coverage_start_too_early"),
    ]
    .into_iter()
    .map(|(r, c, p)| (r, c.to_owned(), p.to_owned()))
    .collect();
    assert_eq!(errors(&dry.json), expected, "{:#}", dry.json);
    assert_eq!(
        (
            dry.json["rows"].as_u64(),
            dry.json["valid"].as_u64(),
            dry.json["invalid"].as_u64()
        ),
        (Some(13), Some(2), Some(11)),
        "the blank row 14 is not counted"
    );
    assert_eq!(dry.json["created"], 0);
    assert!(dry.json["batch_id"].is_null());
    let duplicate = dry.json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["problem"] == "duplicate_in_file");
    assert!(duplicate.unwrap()["message"].as_str().unwrap().contains("baris 2"));
    // No message repeats a cell: no NIK, name or formula comes back.
    for value in [
        &nik(1),
        &nik(3),
        elsewhere.nik.expose_digits(),
        "Budi",
        "HYPERLINK",
        "3,216010E+15",
        "tukang sihir",
    ] {
        assert!(!dry.text.contains(value), "the report repeats {value}");
    }
    assert_eq!(traces(&app).await, before, "a dry run stores nothing");

    // A commit of a file with invalid rows stores nothing unless asked for the valid ones.
    let all = upload(&operator, &app, VILLAGE_A, "mode=commit", CSV, file.clone()).await;
    assert_eq!(all.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", all.text);
    assert_eq!(all.json["created"], 0);
    assert_eq!(traces(&app).await, before);

    let valid = upload(
        &operator,
        &app,
        VILLAGE_A,
        "mode=commit&only_valid=true",
        CSV,
        file.clone(),
    )
    .await;
    assert_eq!(valid.status, StatusCode::OK, "{}", valid.text);
    assert_eq!(valid.json["created"], 2);
    let batch = valid.json["batch_id"].as_str().unwrap().to_owned();
    assert_eq!(traces(&app).await, (before.0 + 2, before.1 + 2, before.2 + 2));
    let stored = app.store.import_batch(&batch).await.unwrap().unwrap();
    assert_eq!((stored.created, stored.imported_by.as_str()), (2, "op.import"));
    let list = operator.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/imports")).await;
    assert_eq!(list.json[0]["batch_id"], batch.as_str());

    // The same file again: the stored rows are unchanged, nothing new.
    let again = upload(&operator, &app, VILLAGE_A, "mode=commit&only_valid=true", CSV, file).await;
    assert_eq!(
        (again.json["created"].as_u64(), again.json["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(traces(&app).await.0, before.0 + 2);

    // Undo, audited; a second undo is refused.
    let undone = operator.delete(&app, &format!("/api/v1/imports/{batch}")).await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.text);
    assert!(undone.json["undone_at"].is_string());
    assert_eq!(traces(&app).await, before);
    operator
        .delete(&app, &format!("/api/v1/imports/{batch}"))
        .await
        .expect(StatusCode::CONFLICT, "import_batch_changed");
    let mut db = raw_db(&app).await;
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = ? OR action = 'enrolment.import' ORDER BY id")
            .bind(format!("import/{batch}"))
            .fetch_all(&mut db)
            .await
            .unwrap();
    assert_eq!(
        audited,
        ["enrolment.import", "enrolment.import", "import.commit", "import.undo"]
    );
}

#[tokio::test]
async fn a_verified_record_keeps_its_batch_from_being_undone() {
    let app = TestApp::fresh().await;
    let admin = official(&app, "admin.import", Role::RegencyAdmin, REGENCY_A).await;
    let verifier = official(&app, "bpjs.import", Role::BpjsVerifier, REGENCY_A).await;
    let rows = vec![
        row(&nik_for("321601", 31, false), &[]),
        row(&nik_for("321601", 32, false), &[]),
    ];
    let reply = upload(&admin, &app, REGENCY_A, "mode=commit", CSV, excel_csv(&rows)).await;
    assert_eq!(reply.json["created"], 2, "{}", reply.text);
    let batch = reply.json["batch_id"].as_str().unwrap().to_owned();
    let page = admin.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers")).await;
    let id = page.json["workers"][0]["id"].as_i64().unwrap();
    verifier
        .step(
            &app,
            id,
            "verify",
            &serde_json::json!({ "membership_number": "12345678901" }),
        )
        .await
        .expect(StatusCode::OK, "");
    let before = traces(&app).await;
    admin
        .delete(&app, &format!("/api/v1/imports/{batch}"))
        .await
        .expect(StatusCode::CONFLICT, "import_batch_changed");
    assert_eq!(traces(&app).await, before, "nothing undone");
    // Another regency's admin does not even see the batch.
    let other = official(&app, "admin.majalengka", Role::RegencyAdmin, "32.10").await;
    other
        .delete(&app, &format!("/api/v1/imports/{batch}"))
        .await
        .expect(StatusCode::NOT_FOUND, "import_batch_not_found");
}

#[tokio::test]
async fn a_windows_1252_file_with_commas_and_lf_is_read_with_its_accents() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "op.cp1252", Role::VillageOperator, VILLAGE_A).await;
    let header: Vec<&str> = COLUMNS.iter().map(|(_, h)| *h).collect();
    let mut text = format!("{}\n", header.join(","));
    let mut cells = row(
        &nik_for("321601", 41, false),
        &[("Nama Lengkap", "José Ramos"), ("Penghasilan", "1000000")],
    );
    cells[5] = "Jl. Café Kenari No. 5".into();
    text.push_str(&cells.join(","));
    text.push('\n');
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "the file is not UTF-8");
    let reply = upload(
        &operator,
        &app,
        VILLAGE_A,
        "mode=commit",
        "text/csv",
        bytes.into_owned(),
    )
    .await;
    assert_eq!(reply.json["created"], 1, "{}", reply.text);
    let page = operator.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers")).await;
    assert_eq!(page.json["workers"][0]["full_name"], "José Ramos");

    // Bytes that Windows-1252 does not define: another encoding, refused as such.
    let mut odd = text.clone().into_bytes();
    odd.extend_from_slice(b"\x81\x8d\n");
    let reply = upload(&operator, &app, VILLAGE_A, "mode=dry_run", "text/csv", odd).await;
    reply.expect(StatusCode::UNPROCESSABLE_ENTITY, "import_encoding");
}

#[tokio::test]
async fn an_xlsx_with_number_and_date_cells_is_read_exactly() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let app = TestApp::fresh().await;
    let operator = official(&app, "op.xlsx", Role::VillageOperator, VILLAGE_A).await;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (column, (_, header)) in (0u16..).zip(COLUMNS) {
        sheet.write_string(0, column, header).unwrap();
    }
    let start = crate::helpers::now();
    for (row, serial) in [(1u32, 51u16), (2, 52)] {
        let nik: f64 = nik_for("321601", serial, false).parse().unwrap();
        sheet.write_number(row, 0, nik).unwrap();
        sheet.write_string(row, 1, "Siti Rahayu").unwrap();
        sheet
            .write_datetime_with_format(row, 2, ExcelDateTime::from_ymd(1990, 7, 5).unwrap(), &date)
            .unwrap();
        sheet.write_string(row, 3, "L").unwrap();
        sheet.write_number(row, 4, 81_234_567_890.0).unwrap();
        sheet.write_string(row, 5, "Dusun Krajan RT 03").unwrap();
        sheet.write_string(row, 6, "Nelayan").unwrap();
        sheet.write_string(row, 9, "JKK + JKM + JHT").unwrap();
        sheet.write_number(row, 10, 1_500_000.0).unwrap();
        sheet.write_string(row, 11, "APBD kabupaten/kota").unwrap();
        let month = ExcelDateTime::from_ymd(u16::try_from(start.year()).unwrap(), start.month_number(), 1).unwrap();
        sheet.write_datetime_with_format(row, 13, month, &date).unwrap();
        sheet.write_number(row, 14, 6.0).unwrap();
        sheet.write_boolean(row, 16, true).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let reply = upload(&operator, &app, VILLAGE_A, "mode=dry_run", XLSX, bytes.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    // The NIK read exactly from its number cell, the dates from date cells, the phone that
    // lost its leading zero to a number cell given it back.
    assert_eq!(errors(&reply.json), BTreeSet::new(), "{:#}", reply.json);
    assert_eq!(reply.json["valid"], 2);
    let reply = upload(&operator, &app, VILLAGE_A, "mode=commit", XLSX, bytes).await;
    assert_eq!(reply.json["created"], 2, "{}", reply.text);
    let page = operator.get(&app, &format!("/api/v1/areas/{VILLAGE_A}/workers")).await;
    let id = page.json["workers"][0]["id"].as_i64().unwrap();
    let detail = operator.get(&app, &format!("/api/v1/enrolments/{id}")).await;
    assert_eq!(detail.json["phone"], "081234567890", "{}", detail.text);
}

#[tokio::test]
async fn the_errors_file_holds_every_row_with_its_problems_and_no_formula_runs() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "op.errors", Role::VillageOperator, VILLAGE_A).await;
    let rows = vec![
        row(&nik_for("321601", 61, false), &[]),
        row(
            &nik_for("321601", 62, false),
            &[("Nama Lengkap", "=1+1"), ("Alamat", "@SUM(A1:A9)")],
        ),
        row(&nik_for("321601", 63, false), &[("Telepon", "+62 812 3456 7890")]),
    ];
    let reply = upload(
        &operator,
        &app,
        VILLAGE_A,
        "mode=dry_run&format=csv",
        CSV,
        excel_csv(&rows),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(reply.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = reply.text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().next_back(), Some("Masalah"));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    assert_eq!(&records[0][17], "", "a good row has no problem");
    assert_eq!(&records[1][1], "'=1+1");
    assert_eq!(&records[1][5], "'@SUM(A1:A9)");
    assert!(records[1][17].starts_with("Nama Lengkap: "), "{}", &records[1][17]);
    assert_eq!(&records[2][4], "'+62 812 3456 7890");
    for record in &records {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a cell a spreadsheet would run: {cell}"
            );
        }
    }
}

#[tokio::test]
async fn whole_file_refusals_are_clear_and_scope_is_the_forms() {
    let app = TestApp::fresh().await;
    let operator = official(&app, "op.scope", Role::VillageOperator, VILLAGE_A).await;
    let verifier = official(&app, "bpjs.scope", Role::BpjsVerifier, REGENCY_A).await;
    let good = excel_csv(&[row(&nik_for("321601", 71, false), &[])]);
    let before = traces(&app).await;
    // Columns missing: one error naming them.
    let reply = upload(
        &operator,
        &app,
        VILLAGE_A,
        "mode=dry_run",
        CSV,
        b"NIK;Nama\n1;Ana\n".to_vec(),
    )
    .await;
    reply.expect(StatusCode::UNPROCESSABLE_ENTITY, "import_columns_missing");
    let details = reply.json["error"]["details"].to_string();
    assert!(details.contains("Tanggal Lahir") && details.contains("Persetujuan") && !details.contains("Telepon"));
    // Not a spreadsheet; empty; too large.
    upload(&operator, &app, VILLAGE_A, "mode=dry_run", CSV, vec![0, 159, 146, 150])
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY, "import_unreadable");
    upload(&operator, &app, VILLAGE_A, "mode=dry_run", CSV, Vec::new())
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY, "import_unreadable");
    let huge = vec![b'a'; pantau_core::import::MAX_FILE_BYTES + 1];
    upload(&operator, &app, VILLAGE_A, "mode=dry_run", CSV, huge)
        .await
        .expect(StatusCode::PAYLOAD_TOO_LARGE, "import_too_large");
    // Outside the operator's village; a role that does not enrol.
    upload(&operator, &app, DISTRICT_A, "mode=commit", CSV, good.clone())
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    upload(&verifier, &app, REGENCY_A, "mode=commit", CSV, good.clone())
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    verifier
        .get(&app, "/api/v1/imports/template.csv")
        .await
        .expect(StatusCode::FORBIDDEN, "forbidden");
    anonymous(&app, Method::GET, "/api/v1/imports/template.csv", None)
        .await
        .expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(traces(&app).await, before);
}

#[tokio::test]
async fn the_templates_have_the_columns_the_lists_and_the_instructions() {
    use calamine::{Reader, Xlsx};
    let app = TestApp::fresh().await;
    let operator = official(&app, "op.template", Role::VillageOperator, VILLAGE_A).await;
    let csv = operator.get(&app, "/api/v1/imports/template.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let header: Vec<&str> = COLUMNS.iter().map(|(_, h)| *h).collect();
    assert_eq!(csv.text.trim_start_matches('\u{feff}').trim_end(), header.join(";"));
    let reply = operator
        .raw(&app, Method::GET, "/api/v1/imports/template.xlsx", None, Vec::new())
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let bytes = {
        let path = "/api/v1/imports/template.xlsx";
        let cookie = format!("{COOKIE}={}", operator.cookie);
        let request = axum::http::Request::get(path)
            .header("cookie", cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(app.router.clone(), request).await.unwrap();
        http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes()
    };
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(workbook.sheet_names(), ["Data", "Pilihan", "Petunjuk"]);
    let data = workbook.worksheet_range("Data").unwrap();
    let first: Vec<String> = data.rows().next().unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(first, header);
    let lists = workbook.worksheet_range("Pilihan").unwrap();
    let segments: Vec<String> = lists
        .rows()
        .skip(1)
        .map(|r| r[1].to_string())
        .filter(|s| !s.is_empty())
        .collect();
    assert!(segments.contains(&"Petani/buruh tani".to_owned()), "{segments:?}");
    // The template, filled with a valid row, goes through.
    let mut filled = csv.text.into_bytes();
    let cells = row(&nik_for("321601", 81, false), &[]);
    filled.extend_from_slice(cells.join(";").as_bytes());
    let reply = upload(&operator, &app, VILLAGE_A, "mode=dry_run", CSV, filled).await;
    assert_eq!(
        (reply.json["valid"].as_u64(), reply.json["invalid"].as_u64()),
        (Some(1), Some(0)),
        "{}",
        reply.text
    );
}
