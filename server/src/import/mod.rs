//! Bulk import of workers from the spreadsheets offices hold. Each row becomes the enrolment
//! form ([`pantau_core::import::draft_of_row`]) and passes the form's own check
//! ([`pantau_core::intake::validate`]); then the checks only a whole file and the database
//! can make: the village inside the area and the caller's scope, a NIK twice in the file, a
//! NIK enrolled already. A dry run stops there; a commit stores the rows as one batch.

pub mod file;
pub mod template;

use std::collections::{HashMap, HashSet};

use pantau_core::account::{Action, Grant};
use pantau_core::import::{self, header_of, ImportReport, RowProblem, COLUMNS, OPTIONAL_COLUMNS};
use pantau_core::intake::{self, FieldProblem, Problem, Severity};
use pantau_core::premium::PremiumRules;
use pantau_core::workers::{Status, NIK_LOOKUPS_PER_HOUR};
use pantau_core::{AreaCode, Field, Level, Nik, RegionCode};
use time::{Date, OffsetDateTime};

use self::file::Sheet;
use crate::store::{Actor, Existing, NewEnrolment, NikLookup, Store, StoreError};

/// Why a file is refused as a whole.
#[derive(Debug)]
pub enum ImportError {
    /// Unreadable, wrong encoding or too many rows.
    File(file::FileError),
    /// Required columns absent: their headers.
    ColumnsMissing(Vec<&'static str>),
    /// More NIKs enrolled outside the caller's scope than it may still be told of this hour.
    TooManyNikLookups,
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for ImportError {
    fn from(err: StoreError) -> Self {
        Self::Store(err)
    }
}

/// Who imports into which area, and when.
pub struct Caller<'a> {
    /// The area imported into (the URL's).
    pub area: &'a AreaCode,
    /// The caller's role and scope.
    pub grant: &'a Grant,
    /// For the audit log.
    pub actor: &'a Actor,
    /// Today (for the form's date rules).
    pub today: Date,
}

/// A checked file: the answer so far, what a commit would store, and each row's problems as
/// one sentence for the errors file.
pub struct Checked {
    /// The answer (nothing created yet).
    pub report: ImportReport,
    /// The valid rows that are not stored yet.
    pub to_store: Vec<NewEnrolment>,
    /// `"Column: message | …"` by row number.
    pub problems_by_row: HashMap<u32, String>,
}

/// One row after the checks that need no database.
struct RowOutcome {
    row: u32,
    problems: Vec<RowProblem>,
    valid: Option<NewEnrolment>,
}

fn row_problem(row: u32, field: Field, problem: Problem, message: String) -> RowProblem {
    RowProblem {
        row,
        column: header_of(field).to_owned(),
        problem,
        severity: problem.severity(),
        message,
    }
}

/// Where a problem's column stands in the template, to list a row's problems in its order.
fn column_order(problem: &RowProblem) -> usize {
    COLUMNS
        .iter()
        .position(|(_, header)| *header == problem.column)
        .unwrap_or(usize::MAX)
}

fn from_field_problem(row: u32, p: FieldProblem) -> RowProblem {
    row_problem(row, p.field, p.problem, p.message)
}

/// The column of each header (`None` for columns the template does not have, and for a
/// second column of the same name), or the required headers the file lacks. The village
/// column is required unless the file goes into one village.
fn columns_of(sheet: &Sheet, area: &AreaCode) -> Result<Vec<Option<Field>>, ImportError> {
    let mut seen = HashSet::new();
    let fields: Vec<Option<Field>> = sheet
        .headers
        .iter()
        .map(|header| import::column_of(header).filter(|field| seen.insert(*field)))
        .collect();
    let into_village = area.level() == Level::Village;
    let missing: Vec<&'static str> = COLUMNS
        .iter()
        .filter(|(field, _)| {
            let optional = OPTIONAL_COLUMNS.contains(field) && (*field != Field::Village || into_village);
            !optional && !seen.contains(field)
        })
        .map(|(_, header)| *header)
        .collect();
    if missing.is_empty() {
        Ok(fields)
    } else {
        Err(ImportError::ColumnsMissing(missing))
    }
}

/// What the row checks need to know of the region list.
struct Regions {
    villages: HashMap<String, String>,
    districts: HashSet<String>,
}

impl Regions {
    async fn load(store: &dyn Store) -> Result<Self, StoreError> {
        let mut villages = HashMap::new();
        let mut districts = HashSet::new();
        for (code, name) in store.region_names().await? {
            match code.level() {
                Level::Village => {
                    villages.insert(code.as_str().to_owned(), name);
                }
                Level::District => {
                    districts.insert(code.as_str().to_owned());
                }
                _ => {}
            }
        }
        Ok(Self { villages, districts })
    }
}

/// The checks of every row that need no database: the form's, the village's, the file's
/// duplicates. CPU work, run off the async workers.
fn check_rows(sheet: &Sheet, fields: &[Option<Field>], regions: &Regions, caller: &RowCaller) -> Vec<RowOutcome> {
    let mapped: Vec<(usize, Field)> = fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.map(|f| (i, f)))
        .collect();
    let mapped_fields: Vec<Field> = mapped.iter().map(|(_, f)| *f).collect();
    let default_village = (caller.area.level() == Level::Village).then(|| caller.area.as_str().to_owned());
    let rules = PremiumRules::default();
    let district_known = |code: &str| regions.districts.contains(code);
    let mut first_row_of_nik: HashMap<String, u32> = HashMap::new();
    let mut outcomes = Vec::with_capacity(sheet.rows.len());
    for (row, cells) in &sheet.rows {
        let row = *row;
        let row_cells: Vec<import::Cell> = mapped
            .iter()
            .map(|(i, _)| cells.get(*i).cloned().unwrap_or(import::Cell::Empty))
            .collect();
        let drafted = import::draft_of_row(&mapped_fields, &row_cells, default_village.as_deref());
        let checked = intake::validate(&drafted.draft, caller.today, &rules, &district_known);
        let (form_problems, valid) = match checked {
            Ok(valid) => (valid.warnings.clone(), Some(valid)),
            Err(errors) => (errors, None),
        };
        let has_cell_problem = !drafted.cell_problems.is_empty();
        let mut problems: Vec<RowProblem> = import::merged(drafted.cell_problems, form_problems)
            .into_iter()
            .map(|p| from_field_problem(row, p))
            .collect();
        let mut valid = valid.filter(|_| !has_cell_problem);
        // The village: known, inside the area, inside the caller's scope.
        if let Some(v) = &valid {
            let code = AreaCode::Region(v.village.clone());
            let problem = if !regions.villages.contains_key(v.village.as_str()) {
                Some(Problem::VillageUnknown)
            } else if !caller.area.contains(&code) || !caller.grant.allows(Action::Enrol, &code) {
                Some(Problem::VillageOutsideArea)
            } else {
                None
            };
            if let Some(problem) = problem {
                problems.push(row_problem(
                    row,
                    Field::Village,
                    problem,
                    problem.message_id().to_owned(),
                ));
                valid = None;
            }
        }
        // The same NIK twice: the first row is kept.
        if let Ok(nik) = Nik::parse(&drafted.draft.nik) {
            let digits = nik.expose_digits().to_owned();
            match first_row_of_nik.get(&digits) {
                Some(first) => {
                    let message = format!("NIK sama dengan baris {first}; hanya baris pertama yang dipakai.");
                    problems.push(row_problem(row, Field::Nik, Problem::DuplicateInFile, message));
                    valid = None;
                }
                None => {
                    first_row_of_nik.insert(digits, row);
                }
            }
        }
        problems.sort_by_key(column_order);
        outcomes.push(RowOutcome {
            row,
            problems,
            valid: valid.map(|v| NewEnrolment::from_valid(v, Status::Submitted)),
        });
    }
    outcomes
}

/// The owned part of [`Caller`] the blocking row check takes along.
struct RowCaller {
    area: AreaCode,
    grant: Grant,
    today: Date,
}

/// Whether an uploaded row says what the stored record says: then importing it again is
/// "unchanged". The workflow state is the store's, and a row without a KPJ number agrees
/// with a record that has one.
fn same_data(row: &NewEnrolment, stored: &NewEnrolment) -> bool {
    let (a, b) = (&row.particulars, &stored.particulars);
    row.village == stored.village
        && row.full_name == stored.full_name
        && row.birth_date == stored.birth_date
        && row.sex == stored.sex
        && row.segment == stored.segment
        && row.program == stored.program
        && row.income == stored.income
        && row.funding == stored.funding
        && row.start == stored.start
        && row.paid_through == stored.paid_through
        && a.phone == b.phone
        && a.address == b.address
        && a.occupation_other == b.occupation_other
        && a.sponsor == b.sponsor
        && (a.membership_number.is_none() || a.membership_number == b.membership_number)
}

/// Checks every row of `sheet` for `caller`; writes nothing but the audit entries of NIKs
/// found enrolled outside the caller's scope (as the form's 409 does).
pub async fn check(store: &dyn Store, sheet: Sheet, caller: &Caller<'_>) -> Result<(Checked, Sheet), ImportError> {
    let fields = columns_of(&sheet, caller.area)?;
    let regions = Regions::load(store).await?;
    let row_caller = RowCaller {
        area: caller.area.clone(),
        grant: caller.grant.clone(),
        today: caller.today,
    };
    let (mut outcomes, sheet, regions) = tokio::task::spawn_blocking(move || {
        let outcomes = check_rows(&sheet, &fields, &regions, &row_caller);
        (outcomes, sheet, regions)
    })
    .await
    .map_err(|e| StoreError::Other(e.into()))?;

    // Against the database: the NIKs of the rows still valid.
    let niks: Vec<Nik> = outcomes
        .iter()
        .filter_map(|o| o.valid.as_ref().map(|v| v.nik.clone()))
        .collect();
    let existing = store.current_by_nik(&niks).await?;
    let mut unchanged = 0u32;
    let mut told_outside_scope: Vec<(Existing, RegionCode)> = Vec::new();
    for outcome in &mut outcomes {
        let Some(valid) = &outcome.valid else { continue };
        let Some(found) = existing.get(valid.nik.expose_digits()) else {
            continue;
        };
        if same_data(valid, &found.enrolment) {
            unchanged += 1;
            outcome.valid = None;
            continue;
        }
        let where_code = AreaCode::Region(found.enrolment.village.clone());
        let message = if caller.grant.allows(Action::ViewWorkers, &where_code) {
            let name = regions
                .villages
                .get(found.enrolment.village.as_str())
                .map_or("desa lain", String::as_str);
            if found.enrolment.village == valid.village {
                format!("NIK ini sudah terdaftar di {name} dengan data lain; ubah datanya di daftar pekerja.")
            } else {
                format!("NIK ini sudah terdaftar di {name}.")
            }
        } else {
            told_outside_scope.push((found.clone(), valid.village.clone()));
            Problem::AlreadyEnrolled.message_id().to_owned()
        };
        outcome
            .problems
            .push(row_problem(outcome.row, Field::Nik, Problem::AlreadyEnrolled, message));
        outcome.valid = None;
        outcome
            .problems
            .sort_by_key(|p| COLUMNS.iter().position(|(_, h)| *h == p.column));
    }
    record_lookups(store, caller.actor, &told_outside_scope).await?;

    let mut report = ImportReport {
        rows: u32::try_from(outcomes.len()).unwrap_or(u32::MAX),
        unchanged,
        ..ImportReport::default()
    };
    let mut to_store = Vec::new();
    let mut problems_by_row = HashMap::new();
    for outcome in outcomes {
        let has_error = outcome.problems.iter().any(|p| p.severity == Severity::Error);
        if has_error {
            report.invalid += 1;
        } else {
            report.valid += 1;
        }
        if !outcome.problems.is_empty() {
            let sentence: Vec<String> = outcome
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.column, p.message))
                .collect();
            problems_by_row.insert(outcome.row, sentence.join(" | "));
        }
        report.problems.extend(outcome.problems);
        if let (Some(valid), false) = (outcome.valid, has_error) {
            to_store.push(valid);
        }
    }
    Ok((
        Checked {
            report,
            to_store,
            problems_by_row,
        },
        sheet,
    ))
}

/// Each NIK found enrolled outside the caller's scope counts as a NIK lookup (issue 18,
/// finding 6): audited, and refused as a whole once the hourly budget would be passed, so
/// a file cannot be used to learn who is enrolled where at scale.
async fn record_lookups(store: &dyn Store, actor: &Actor, told: &[(Existing, RegionCode)]) -> Result<(), ImportError> {
    if told.is_empty() {
        return Ok(());
    }
    let since = OffsetDateTime::now_utc() - time::Duration::HOUR;
    let used = store.nik_lookups_since(actor, since).await?;
    let allowed = NIK_LOOKUPS_PER_HOUR.saturating_sub(used);
    if u64::try_from(told.len()).unwrap_or(u64::MAX) > allowed {
        let (first, asked_from) = &told[0];
        let withheld = NikLookup::Withheld {
            village: Some(first.enrolment.village.clone()),
            asked_from: asked_from.clone(),
        };
        store.record_nik_lookup(&withheld, &first.enrolment.nik, actor).await?;
        return Err(ImportError::TooManyNikLookups);
    }
    for (found, asked_from) in told {
        let shown = NikLookup::Shown {
            enrolment: found.id,
            village: found.enrolment.village.clone(),
            asked_from: asked_from.clone(),
        };
        store.record_nik_lookup(&shown, &found.enrolment.nik, actor).await?;
    }
    Ok(())
}
