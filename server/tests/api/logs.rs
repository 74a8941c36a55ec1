//! The last check of the test command: the logs of every server the run started (in-process
//! for the API tests, the binary for the browser tests) hold no personal data.

use aho_corasick::AhoCorasick;

use crate::helpers::record_hostile;

/// Names typed by the tests (the demo's come from `demo::worker_names`).
const TEST_NAMES: [&str; 6] = [
    "Budi Santoso",
    "Contoh Peserta",
    "Ahmad Suryadi",
    "Siti Aminah",
    "Joko Santoso",
    "Rudi Hartono",
];

/// Digit runs of 10 or more, single spaces or dashes between digits joined (a phone typed as
/// `0812 3456 7890`): NIKs, phone and KPJ numbers. Timestamps and counts are shorter.
fn long_numbers(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let joins = matches!(c, ' ' | '-')
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() {
            run.push(c);
        } else if !joins {
            if run.len() >= 10 {
                found.push(run.clone());
            }
            run.clear();
        }
    }
    if run.len() >= 10 {
        found.push(run);
    }
    found
}

/// `YYYY-MM-DD` dates of years people are born in (log timestamps are of this year).
fn birth_dates(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    (0..bytes.len().saturating_sub(9))
        .filter(|&i| {
            let d = |j: usize| bytes[i + j].is_ascii_digit();
            d(0) && d(1) && d(2) && d(3) && bytes[i + 4] == b'-' && d(5) && d(6) && bytes[i + 7] == b'-' && d(8) && d(9)
        })
        .map(|i| &line[i..i + 10])
        .filter(|date| date[..4].parse::<u16>().is_ok_and(|year| (1940..=2012).contains(&year)))
        .collect()
}

/// `line` without terminal colour codes (`ESC [ … m`), as a server writing to a terminal adds.
fn without_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

/// `line` with the value of each request id left out: `request_id="…"` in text lines,
/// `"request_id":"…"` in JSON lines.
fn without_request_ids(line: &str) -> String {
    ["request_id=\"", "\"request_id\":\""]
        .iter()
        .fold(line.to_owned(), |line, marker| {
            let mut out = String::with_capacity(line.len());
            let mut rest = line.as_str();
            while let Some(start) = rest.find(marker) {
                let value = start + marker.len();
                out.push_str(&rest[..value]);
                rest = rest[value..].find('"').map_or("", |end| &rest[value + end..]);
            }
            out.push_str(rest);
            out
        })
}

#[test]
#[ignore = "run by `cargo xtask test` after every other test, over the logs they wrote (PANTAU_TEST_LOGS)"]
fn the_logs_of_the_whole_test_run_hold_no_personal_data() {
    let dir = std::env::var_os("PANTAU_TEST_LOGS").expect("PANTAU_TEST_LOGS names the folder of the run's logs");
    let mut names = pantau_server::demo::worker_names();
    names.extend(TEST_NAMES.map(str::to_owned));
    let names = AhoCorasick::new(&names).unwrap();
    let (mut files, mut lines, mut hits) = (0, 0, Vec::new());
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        files += 1;
        for line in text.lines() {
            lines += 1;
            // Request ids are random UUIDs, whose hex can hold digit runs.
            let line = &without_request_ids(&without_colours(line));
            let mut found: Vec<String> = long_numbers(line);
            found.extend(birth_dates(line).into_iter().map(str::to_owned));
            found.extend(names.find_iter(line).map(|m| line[m.range()].to_owned()));
            if !found.is_empty() {
                hits.push(format!("{}: {found:?} in {line}", path.display()));
            }
        }
    }
    assert!(
        files >= 1 && lines > 1000,
        "{files} log files with {lines} lines: the run's logs were not written"
    );
    assert!(hits.is_empty(), "personal data in the logs:\n{}", hits.join("\n"));
    record_hostile(
        "logs",
        &format!("{lines} server log lines in {files} files scanned, 0 PII hits"),
    );
}

#[test]
fn the_log_scan_finds_what_it_looks_for() {
    assert_eq!(long_numbers("nik=3216011508850001 x"), ["3216011508850001"]);
    assert_eq!(long_numbers("phone 0812 3456 7890."), ["081234567890"]);
    assert!(long_numbers("2026-12-04T03:30:48.123456Z villages=83762 took 12 ms").is_empty());
    assert_eq!(birth_dates("born 1985-08-15, logged 2026-12-04"), ["1985-08-15"]);
    let line =
        without_request_ids(r#"request{request_id="0295f456-a8cf-408f-a149-8502429ac138"}: nik 3216011508850001"#);
    assert_eq!(long_numbers(&line), ["3216011508850001"]);
    let coloured = "\u{1b}[3mrequest_id\u{1b}[0m\u{1b}[2m=\u{1b}[0m\"357d6fc3-4b81-4947-8102-118bf7d923c7\"";
    assert!(long_numbers(&without_request_ids(&without_colours(coloured))).is_empty());
    let json = r#"{"timestamp":"2026-12-08T01:25:03.123456Z","level":"INFO","span":{"request_id":"11111111-2222-4333-8444-555555555555","route":"-"},"nik":"3216011508850001"}"#;
    assert_eq!(long_numbers(&without_request_ids(json)), ["3216011508850001"]);
}
