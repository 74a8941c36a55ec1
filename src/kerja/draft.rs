//! The values of the enrolment form: one signal per input, turned into the API's draft and
//! back, and a stored record as a draft to edit. Also the two shortcuts of a new form: the
//! birth date and sex a complete NIK encodes, and the official's last program, funding source
//! and paid months offered again for the next worker.

use leptos::prelude::*;
use pantau_core::intake::{EnrolmentDraft, PAID_MONTHS_CHOICES};
use pantau_core::workers::WorkerDetail;
use pantau_core::{Field, FundingSource, Program, Segment, Sex};
use time::Date;

use super::state::today;

mod shortcuts;

use shortcuts::{
    is_untouched, iso_date, may_fill, nik_encodes, remember_choices, remembered_choices, starting_draft, LastChoices,
};

/// One signal per input of the form; copies share the same signals.
#[derive(Clone, Copy)]
pub struct FormFields {
    pub nik: RwSignal<String>,
    pub full_name: RwSignal<String>,
    pub birth_date: RwSignal<String>,
    pub sex: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub address: RwSignal<String>,
    pub segment: RwSignal<String>,
    pub occupation_other: RwSignal<String>,
    pub village: RwSignal<String>,
    pub program: RwSignal<String>,
    pub income: RwSignal<String>,
    pub funding: RwSignal<String>,
    pub sponsor: RwSignal<String>,
    pub coverage_start: RwSignal<String>,
    pub paid_months: RwSignal<String>,
    pub membership_number: RwSignal<String>,
    pub consent: RwSignal<bool>,
    /// What the NIK last filled into the birth date and the sex, while the official has not
    /// changed them: a later NIK may refill them, and they say where the value came from.
    filled_birth_date: RwSignal<Option<String>>,
    filled_sex: RwSignal<Option<String>>,
    /// Stands in for the checkbox where a text signal is asked for; never shown.
    unused: RwSignal<String>,
}

impl Default for FormFields {
    fn default() -> Self {
        Self::new()
    }
}

impl FormFields {
    /// A form with the usual starting choices (see [`FormFields::clear`]).
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        let fields = Self {
            nik: text(),
            full_name: text(),
            birth_date: text(),
            sex: text(),
            phone: text(),
            address: text(),
            segment: text(),
            occupation_other: text(),
            village: text(),
            program: text(),
            income: text(),
            funding: text(),
            sponsor: text(),
            coverage_start: text(),
            paid_months: text(),
            membership_number: text(),
            consent: RwSignal::new(false),
            filled_birth_date: RwSignal::new(None),
            filled_sex: RwSignal::new(None),
            unused: text(),
        };
        fields.clear();
        fields
    }

    /// Empties the form, keeping the usual choices: the JKK + JKM package, cover from this
    /// month, paid one month at a time.
    pub fn clear(&self) {
        self.fill(&starting_draft(today(), None));
    }

    /// A new form opens: while nothing is typed in it yet (its village aside), it takes the
    /// official's last choices on this device instead of the usual ones.
    pub fn start_for(&self, user: Option<i64>) {
        let today = today();
        let draft = self.draft_untracked();
        if !is_untouched(&draft, today) {
            return;
        }
        if let Some(last) = user.and_then(remembered_choices) {
            self.fill(&EnrolmentDraft {
                village: draft.village,
                ..starting_draft(today, Some(last))
            });
        }
    }

    /// `sent` was enrolled: remembers its choices for `user` and empties the form for the next
    /// worker with them.
    pub fn next_worker(&self, sent: &EnrolmentDraft, user: Option<i64>) {
        let last = LastChoices::of(sent);
        if let Some(user) = user {
            remember_choices(user, last);
        }
        self.fill(&starting_draft(today(), Some(last)));
    }

    /// The NIK changed: a complete, valid one fills the birth date and sex it encodes where
    /// they are empty or still hold the previous fill, never over what the official typed.
    pub fn fill_from_nik(&self, today: Date) {
        let Some((birth_date, sex)) = self.nik.with_untracked(|raw| nik_encodes(raw, today)) else {
            return;
        };
        let fill = |input: RwSignal<String>, filled: RwSignal<Option<String>>, value: String| {
            let free = input.with_untracked(|current| filled.with_untracked(|f| may_fill(current, f.as_deref())));
            if free {
                input.set(value.clone());
                filled.set(Some(value));
            }
        };
        if let Some(birth_date) = birth_date {
            fill(self.birth_date, self.filled_birth_date, birth_date);
        }
        fill(self.sex, self.filled_sex, sex.as_str().to_owned());
    }

    /// Whether `field` still holds what the NIK filled in (tracked).
    pub fn is_filled_from_nik(&self, field: Field) -> bool {
        let (input, filled) = match field {
            Field::BirthDate => (self.birth_date, self.filled_birth_date),
            Field::Sex => (self.sex, self.filled_sex),
            _ => return false,
        };
        input.with(|current| filled.with(|f| !current.is_empty() && f.as_deref() == Some(current.as_str())))
    }

    /// The official changed `field` by hand: what they chose is theirs from now on.
    pub fn changed_by_hand(&self, field: Field) {
        let filled = match field {
            Field::BirthDate => self.filled_birth_date,
            Field::Sex => self.filled_sex,
            _ => return,
        };
        if filled.with_untracked(Option::is_some) {
            filled.set(None);
        }
    }

    /// Puts `draft`'s values into the inputs.
    pub fn fill(&self, draft: &EnrolmentDraft) {
        self.filled_birth_date.set(None);
        self.filled_sex.set(None);
        self.nik.set(draft.nik.clone());
        self.full_name.set(draft.full_name.clone());
        self.birth_date.set(draft.birth_date.clone());
        self.sex.set(draft.sex.map(Sex::as_str).unwrap_or_default().to_owned());
        self.phone.set(draft.phone.clone());
        self.address.set(draft.address.clone());
        self.segment
            .set(draft.segment.map(Segment::as_str).unwrap_or_default().to_owned());
        self.occupation_other.set(draft.occupation_other.clone());
        self.village.set(draft.village.clone());
        self.program
            .set(draft.program.map(Program::as_str).unwrap_or_default().to_owned());
        self.income.set(draft.income.map(|i| i.to_string()).unwrap_or_default());
        self.funding
            .set(draft.funding.map(FundingSource::as_str).unwrap_or_default().to_owned());
        self.sponsor.set(draft.sponsor.clone());
        self.coverage_start.set(draft.coverage_start.clone());
        self.paid_months
            .set(draft.paid_months.map(|m| m.to_string()).unwrap_or_default());
        self.membership_number.set(draft.membership_number.clone());
        self.consent.set(draft.consent);
    }

    /// The inputs as the API's draft (tracked).
    pub fn draft(&self) -> EnrolmentDraft {
        EnrolmentDraft {
            nik: self.nik.get(),
            full_name: self.full_name.get(),
            birth_date: self.birth_date.get(),
            sex: self.sex.with(|s| Sex::parse(s)),
            phone: self.phone.get(),
            address: self.address.get(),
            segment: self.segment.with(|s| Segment::parse(s)),
            occupation_other: self.occupation_other.get(),
            village: self.village.get(),
            program: self.program.with(|s| Program::parse(s)),
            income: self.income.with(|s| s.parse().ok()),
            funding: self.funding.with(|s| FundingSource::parse(s)),
            sponsor: self.sponsor.get(),
            coverage_start: self.coverage_start.get(),
            paid_months: self.paid_months.with(|s| s.parse().ok()),
            membership_number: self.membership_number.get(),
            consent: self.consent.get(),
        }
    }

    /// The draft without subscribing to the inputs (for event handlers).
    pub fn draft_untracked(&self) -> EnrolmentDraft {
        untrack(|| self.draft())
    }

    /// The text signal of `field` (the consent checkbox has none).
    pub fn text(&self, field: Field) -> RwSignal<String> {
        match field {
            Field::Nik => self.nik,
            Field::FullName => self.full_name,
            Field::BirthDate => self.birth_date,
            Field::Sex => self.sex,
            Field::Phone => self.phone,
            Field::Address => self.address,
            Field::Segment => self.segment,
            Field::OccupationOther => self.occupation_other,
            Field::Village => self.village,
            Field::Program => self.program,
            Field::Income => self.income,
            Field::Funding => self.funding,
            Field::Sponsor => self.sponsor,
            Field::CoverageStart => self.coverage_start,
            Field::PaidMonths => self.paid_months,
            Field::MembershipNumber => self.membership_number,
            _ => self.unused,
        }
    }
}

/// A stored worker as a draft to edit. `nik` is the full NIK when the official may see it,
/// else empty for the official to type from the ID card.
pub fn draft_of(detail: &WorkerDetail, nik: String) -> EnrolmentDraft {
    let row = &detail.row;
    let paid = row.paid_through.index() - detail.coverage_start.index() + 1;
    EnrolmentDraft {
        nik,
        full_name: row.full_name.clone(),
        // Not shown to roles without the NIK: filled from the NIK they type from the ID card.
        birth_date: detail.birth_date.map(iso_date).unwrap_or_default(),
        sex: Some(detail.sex),
        phone: detail.phone.clone().unwrap_or_default(),
        address: detail.address.clone(),
        segment: Some(row.segment),
        occupation_other: detail.occupation_other.clone().unwrap_or_default(),
        village: row.village.to_string(),
        program: Some(detail.program),
        income: Some(detail.income),
        funding: Some(row.funding),
        sponsor: detail.sponsor.clone().unwrap_or_default(),
        coverage_start: detail.coverage_start.to_string(),
        // After renewals the paid months may be none of the choices: the official picks again.
        paid_months: u16::try_from(paid).ok().filter(|m| PAID_MONTHS_CHOICES.contains(m)),
        membership_number: detail.membership_number.clone().unwrap_or_default(),
        // Given at enrolment; the text is shown again and the box can be unticked.
        consent: true,
    }
}

/// New enrolment or edit of record `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormMode {
    New,
    Edit { id: i64 },
}
