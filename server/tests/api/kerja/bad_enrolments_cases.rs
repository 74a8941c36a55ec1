//! The malformed enrolments of `bad_enrolments.rs`, one row each: what is sent and the answer
//! expected (status, code, field at fault and problem).

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{nik_for, valid_draft, VILLAGE_A};
use crate::helpers::now;

/// What is sent.
pub enum Payload {
    /// The valid draft with one change.
    Draft(Value),
    /// Bytes with a content type.
    Raw(Option<&'static str>, Vec<u8>),
}

/// One malformed enrolment and the refusal expected.
pub struct Case {
    pub name: String,
    pub payload: Payload,
    pub status: StatusCode,
    pub code: &'static str,
    pub field: Option<&'static str>,
    pub problem: Option<&'static str>,
}

/// The NIK of the valid draft every case starts from.
pub const NIK: &str = "3216010507900012";

fn draft(edit: impl FnOnce(&mut Value)) -> Value {
    let mut draft = valid_draft(VILLAGE_A, NIK);
    edit(&mut draft);
    draft
}

/// A form error: 422 `invalid_enrolment` with `problem` on `field`.
fn form(name: &str, field: &'static str, value: Value, problem: &'static str) -> Case {
    form_with(name, field, problem, move |d| d[field] = value)
}

fn form_with(name: &str, field: &'static str, problem: &'static str, edit: impl FnOnce(&mut Value)) -> Case {
    Case {
        name: name.to_owned(),
        payload: Payload::Draft(draft(edit)),
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_enrolment",
        field: Some(field),
        problem: Some(problem),
    }
}

/// A body that does not deserialize: 400 `bad_request`, naming `field`.
fn unreadable(name: &str, field: &'static str, value: Value) -> Case {
    Case {
        name: name.to_owned(),
        payload: Payload::Draft(draft(|d| d[field] = value)),
        status: StatusCode::BAD_REQUEST,
        code: "bad_request",
        field: Some(field),
        problem: None,
    }
}

/// Bytes that are not a JSON draft: 400 `bad_request` without a field.
fn raw(name: &str, content_type: Option<&'static str>, body: impl Into<Vec<u8>>) -> Case {
    Case {
        name: name.to_owned(),
        payload: Payload::Raw(content_type, body.into()),
        status: StatusCode::BAD_REQUEST,
        code: "bad_request",
        field: None,
        problem: None,
    }
}

const XSS: &str = "<script>alert(1)</script>";
const SQL: &str = "Robert'); DROP TABLE enrolment;--";

pub fn cases() -> Vec<Case> {
    let month = |offset: i32| json!(now().plus(offset).to_string());
    let tomorrow = (time::OffsetDateTime::now_utc().date() + time::Duration::days(1)).to_string();
    let valid_json = serde_json::to_vec(&valid_draft(VILLAGE_A, NIK)).unwrap();
    #[rustfmt::skip]
    let mut cases = vec![
        // NIK
        form("NIK of 15 digits", "nik", json!("321601050790001"), "nik_length"),
        form("NIK of 17 digits", "nik", json!("32160105079000123"), "nik_length"),
        form("NIK with letters", "nik", json!("32160105079ABC12"), "nik_not_digits"),
        form("NIK with O for zero", "nik", json!("32160105079OOO12"), "nik_not_digits"),
        form("NIK with dashes", "nik", json!("3216-0105-0790-0012"), "nik_not_digits"),
        form("NIK in full-width digits", "nik", json!("３２１６０１０５０７９０００１２"), "nik_not_digits"),
        form("NIK of spaces only", "nik", json!("        "), "required"),
        form("NIK empty", "nik", json!(""), "required"),
        form("NIK province 00", "nik", json!("0016010507900012"), "nik_region"),
        form("NIK province 10", "nik", json!("1016010507900012"), "nik_region"),
        form("NIK regency 00", "nik", json!("3200010507900012"), "nik_region"),
        form("NIK district 00", "nik", json!("3216000507900012"), "nik_region"),
        form("NIK day 32", "nik", json!("3216013207900012"), "nik_birth_date"),
        form("NIK day 00", "nik", json!("3216010007900012"), "nik_birth_date"),
        form("NIK month 13", "nik", json!("3216010513900012"), "nik_birth_date"),
        form("NIK 30 February", "nik", json!("3216013002900012"), "nik_birth_date"),
        form("NIK 29 February of 1993", "nik", json!("3216012902930012"), "nik_birth_date"),
        form("NIK serial 0000", "nik", json!("3216010507900000"), "nik_serial"),
        form("woman's NIK day 72", "nik", json!("3216017207900012"), "nik_birth_date"),
        // Birth date and sex against the NIK
        form("birth date not the NIK's day", "birth_date", json!("1990-07-06"), "birth_date_not_in_nik"),
        form("birth date not the NIK's year", "birth_date", json!("1991-07-05"), "birth_date_not_in_nik"),
        form("birth date tomorrow", "birth_date", json!(tomorrow), "birth_date_future"),
        form("birth date 2090", "birth_date", json!("2090-07-05"), "birth_date_future"),
        form("birth date d/m/y", "birth_date", json!("05/07/1990"), "birth_date_invalid"),
        form("birth date without zeros", "birth_date", json!("1990-7-5"), "birth_date_invalid"),
        form("birth date 30 February", "birth_date", json!("1990-02-30"), "birth_date_invalid"),
        form("birth date with a time", "birth_date", json!("1990-07-05T00:00:00"), "birth_date_invalid"),
        form("birth date before 1900", "birth_date", json!("1890-07-05"), "birth_date_invalid"),
        form("birth date in words", "birth_date", json!("lima Juli"), "birth_date_invalid"),
        form("birth date empty", "birth_date", json!(""), "required"),
        form("female for a man's NIK", "sex", json!("female"), "sex_not_in_nik"),
        form_with("male for a woman's NIK", "sex", "sex_not_in_nik", |d| {
            d["nik"] = json!(nik_for("321601", 12, true));
            d["sex"] = json!("male");
        }),
        form("sex missing", "sex", Value::Null, "required"),
        // Name
        form("name empty", "full_name", json!(""), "required"),
        form("name of spaces", "full_name", json!("   "), "required"),
        form_with("name missing", "full_name", "required", |d| { d.as_object_mut().unwrap().remove("full_name"); }),
        form("name of one letter", "full_name", json!("B"), "too_short"),
        form("name of 101 letters", "full_name", json!("Budi".repeat(25) + "x"), "too_long"),
        form("name with digits", "full_name", json!("Budi Santoso 2"), "name_characters"),
        form("name with a script tag", "full_name", json!(XSS), "name_characters"),
        form("name with SQL", "full_name", json!(SQL), "name_characters"),
        form_with("SQL in name and address", "full_name", "name_characters", |d| {
            d["full_name"] = json!(SQL);
            d["address"] = json!(SQL);
        }),
        form("name with NUL", "full_name", json!("Budi\u{0}Santoso"), "name_characters"),
        form("name with a tab", "full_name", json!("Budi\tSantoso"), "name_characters"),
        form("name with a line break", "full_name", json!("Budi\nSantoso"), "name_characters"),
        form("name with a zero-width space", "full_name", json!("Budi\u{200B}Santoso"), "name_characters"),
        form("name with a right-to-left override", "full_name", json!("\u{202E}Budi Santoso"), "name_characters"),
        form("name of punctuation only", "full_name", json!("..--''"), "name_characters"),
        // Address
        form("address empty", "address", json!(""), "required"),
        form("address of 4 characters", "address", json!("RT 1"), "too_short"),
        form("address of 201 characters", "address", json!("Dusun Krajan ".repeat(15) + "RT 01 RW"), "too_long"),
        form("address with a script tag", "address", json!(XSS), "text_characters"),
        form("address with a line break", "address", json!("Dusun Krajan\nRT 01 RW 02"), "text_characters"),
        form("address with a bell", "address", json!("Dusun \u{7}Krajan RT 01"), "text_characters"),
        // Occupation and sponsor when asked for
        form_with("segment other without occupation", "occupation_other", "required", |d| {
            d["segment"] = json!("other");
        }),
        form_with("occupation with a script tag", "occupation_other", "text_characters", |d| {
            d["segment"] = json!("other");
            d["occupation_other"] = json!(XSS);
        }),
        form_with("CSR without sponsor", "sponsor", "required", |d| { d["funding"] = json!("csr") }),
        form_with("sponsor with a script tag", "sponsor", "text_characters", |d| {
            d["funding"] = json!("csr");
            d["sponsor"] = json!(XSS);
        }),
        form_with("sponsor of 121 characters", "sponsor", "too_long", |d| {
            d["funding"] = json!("csr");
            d["sponsor"] = json!("PT Maju ".repeat(12) + "Jaya Abadi Sentosa Makmur");
        }),
        // Phone
        form("phone of 5 digits", "phone", json!("12345"), "phone_invalid"),
        form("phone not 08", "phone", json!("0712 3456 7890"), "phone_invalid"),
        form("phone too short", "phone", json!("0812-345"), "phone_invalid"),
        form("phone of 17 digits", "phone", json!("0812 3456 7890 1234"), "phone_invalid"),
        form("phone abroad", "phone", json!("+1 202 555 0100"), "phone_invalid"),
        form("phone with a letter", "phone", json!("08l2 3456 7890"), "phone_invalid"),
        // Income
        form("income below the lowest tier", "income", json!(500_000), "income_below_lowest"),
        form("income between tiers", "income", json!(1_200_000), "income_not_tier"),
        form("income too high", "income", json!(150_000_000), "income_too_high"),
        form("income u64::MAX", "income", json!(u64::MAX), "income_too_high"),
        form("income missing", "income", Value::Null, "required"),
        unreadable("income negative", "income", json!(-1_000_000)),
        unreadable("income as a string", "income", json!("1000000")),
        unreadable("income with a fraction", "income", json!(1_000_000.5)),
        // Coverage start and months
        form("coverage start 4 months back", "coverage_start", month(-4), "coverage_start_too_early"),
        form("coverage start 13 months ahead", "coverage_start", month(13), "coverage_start_too_late"),
        form("coverage start garbage", "coverage_start", json!("secepatnya"), "coverage_start_invalid"),
        form("coverage start month 13", "coverage_start", json!("2026-13"), "coverage_start_invalid"),
        form("coverage start one-digit month", "coverage_start", json!("2026-1"), "coverage_start_invalid"),
        form("coverage start empty", "coverage_start", json!(""), "required"),
        form("paid months 2", "paid_months", json!(2), "paid_months_invalid"),
        form("paid months 0", "paid_months", json!(0), "paid_months_invalid"),
        form("paid months 24", "paid_months", json!(24), "paid_months_invalid"),
        unreadable("paid months 70000", "paid_months", json!(70_000)),
        unreadable("paid months as a string", "paid_months", json!("12")),
        // Membership number, consent
        form("membership number of 10 digits", "membership_number", json!("1234567890"), "membership_number_invalid"),
        form("membership number with a letter", "membership_number", json!("1234567890A"), "membership_number_invalid"),
        form("membership number of 12 digits", "membership_number", json!("123456789012"), "membership_number_invalid"),
        form("consent false", "consent", json!(false), "consent_required"),
        form_with("consent missing", "consent", "consent_required", |d| {
            d.as_object_mut().unwrap().remove("consent");
        }),
        unreadable("consent as a string", "consent", json!("true")),
        unreadable("consent as a number", "consent", json!(1)),
        // Village
        form("village unknown", "village", json!("32.16.01.9999"), "village_unknown"),
        form("village at district level", "village", json!("32.16.01"), "village_invalid"),
        form("village malformed", "village", json!("32.16.1.2001"), "village_invalid"),
        form("village nation", "village", json!("ID"), "village_invalid"),
        form("village empty", "village", json!(""), "required"),
        // Choices
        form("segment missing", "segment", Value::Null, "required"),
        form("program missing", "program", Value::Null, "required"),
        form("funding missing", "funding", Value::Null, "required"),
        unreadable("segment unknown", "segment", json!("pilot")),
        unreadable("program unknown", "program", json!("jht_only")),
        unreadable("funding unknown", "funding", json!("apbn")),
        unreadable("sex in Bahasa", "sex", json!("laki-laki")),
        unreadable("NIK as a number", "nik", json!(3_216_010_507_900_012_u64)),
        unreadable("name as a list", "full_name", json!(["Budi", "Santoso"])),
        unreadable("address as an object", "address", json!({ "rt": 1 })),
        // Bodies
        raw("empty body", Some("application/json"), ""),
        raw("truncated JSON", Some("application/json"), &valid_json[..valid_json.len() / 2]),
        raw("JSON null", Some("application/json"), "null"),
        raw("JSON string", Some("application/json"), "\"3216010507900012\""),
        raw("plain-text content type", Some("text/plain"), valid_json.clone()),
        raw("no content type", None, valid_json.clone()),
        raw("form-encoded", Some("application/x-www-form-urlencoded"), "nik=3216010507900012&full_name=Budi+Santoso"),
        raw("100 KB body", Some("application/json"), {
            let mut big = valid_draft(VILLAGE_A, NIK);
            big["address"] = json!("Dusun Krajan ".repeat(8_000));
            serde_json::to_vec(&big).unwrap()
        }),
    ];
    // An object without any field: every required field is reported, the NIK first.
    cases.push(Case {
        name: "empty object".into(),
        payload: Payload::Raw(Some("application/json"), b"{}".to_vec()),
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_enrolment",
        field: Some("nik"),
        problem: Some("required"),
    });
    // A village outside the caller's district.
    cases.push(Case {
        name: "village in another regency".into(),
        payload: Payload::Draft(valid_draft("32.10.01.2001", NIK)),
        status: StatusCode::FORBIDDEN,
        code: "forbidden",
        field: Some("village"),
        problem: None,
    });
    cases.push(Case {
        name: "village in another district".into(),
        payload: Payload::Draft(valid_draft("32.16.02.2001", NIK)),
        status: StatusCode::FORBIDDEN,
        code: "forbidden",
        field: Some("village"),
        problem: None,
    });
    cases
}
