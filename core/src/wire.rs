//! Enums whose values travel by fixed names: in JSON, in the database, in form values and in
//! URLs. [`wire_enum!`] writes each enum's names (and, where it has them, its labels in both
//! languages) in one table and generates from it `as_str`, `parse`, `ALL`, `label`, serde and
//! the OpenAPI schema, so a value added to the table is named, parsed, listed and labelled
//! everywhere at once.
//!
//! Serde goes through `as_str` and `parse` rather than serde's derive: the names are static
//! strings the app needs anyway, and one generic visitor serves every enum.

use std::fmt;
use std::marker::PhantomData;

/// An enum named by [`wire_enum!`].
pub trait WireName: Copy + 'static {
    /// Every value, in display order.
    const VALUES: &'static [Self];
    /// Every name, in the order of [`WireName::VALUES`].
    const NAMES: &'static [&'static str];
    /// What the enum is, for error messages ("segment", "role", …).
    const WHAT: &'static str;

    /// The value's name.
    fn wire(self) -> &'static str;

    /// The value named `name`, if any.
    fn from_wire(name: &str) -> Option<Self> {
        Self::VALUES.iter().copied().find(|value| value.wire() == name)
    }
}

/// Deserializes any [`WireName`] from a string.
pub struct WireVisitor<T>(PhantomData<T>);

impl<T> Default for WireVisitor<T> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<T: WireName> serde::de::Visitor<'_> for WireVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} name", T::WHAT)
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<T, E> {
        T::from_wire(name).ok_or_else(|| E::unknown_variant(name, T::NAMES))
    }
}

/// Counts token trees, for the length of `ALL`.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_count {
    () => { 0usize };
    ($head:tt $($tail:tt)*) => { 1usize + $crate::__wire_count!($($tail)*) };
}

/// Declares an enum from one table of `Variant = "wire_name"` rows, each optionally followed by
/// its labels `{ id: "…", en: "…" }` (all rows or none). Rows are in display order, which is
/// also the order of `ALL` and of `Ord` where derived. The enum takes doc comments, then at
/// most one `#[derive(…)]` of traits beyond `Clone, Copy, Debug, PartialEq, Eq, Hash`.
///
/// ```
/// pantau_core::wire_enum! {
///     /// A colour.
///     pub enum Colour: "colour" {
///         /// The first.
///         Red = "red" { id: "Merah", en: "Red" },
///         Green = "green" { id: "Hijau", en: "Green" },
///     }
/// }
/// use pantau_core::display::Language;
/// assert_eq!(Colour::parse("green"), Some(Colour::Green));
/// assert_eq!(Colour::Red.label(Language::Id), "Merah");
/// assert_eq!(serde_json::to_string(&Colour::ALL).unwrap(), r#"["red","green"]"#);
/// ```
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[doc = $doc:literal])*
        $(#[derive($($derive:ident),+ $(,)?)])?
        $vis:vis enum $name:ident: $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal { id: $id:literal, en: $en:literal $(,)? }),+ $(,)?
        }
    ) => {
        $crate::wire_enum! {
            $(#[doc = $doc])*
            $(#[derive($($derive),+)])?
            $vis enum $name: $what { $($(#[$vmeta])* $variant = $wire),+ }
        }

        impl $name {
            /// What the value is called in `language`.
            pub fn label(self, language: $crate::display::Language) -> &'static str {
                match (self, language) {
                    $(
                        (Self::$variant, $crate::display::Language::Id) => $id,
                        (Self::$variant, $crate::display::Language::En) => $en,
                    )+
                }
            }
        }
    };
    (
        $(#[doc = $doc:literal])*
        $(#[derive($($derive:ident),+ $(,)?)])?
        $vis:vis enum $name:ident: $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash $($(, $derive)+)?)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: [Self; $crate::__wire_count!($($variant)+)] = [$(Self::$variant),+];

            /// The name it travels by in JSON, the database, forms and URLs.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire),+
                }
            }

            /// The value with this name.
            pub fn parse(name: &str) -> Option<Self> {
                <Self as $crate::wire::WireName>::from_wire(name)
            }
        }

        impl $crate::wire::WireName for $name {
            const VALUES: &'static [Self] = &Self::ALL;
            const NAMES: &'static [&'static str] = &[$($wire),+];
            const WHAT: &'static str = $what;

            fn wire(self) -> &'static str {
                self.as_str()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::wire::WireVisitor::<Self>::default())
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                // The enum's doc comment, one trimmed line each, as utoipa's derive writes it.
                let description = [$($doc),*].map(str::trim).join("\n");
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description((!description.is_empty()).then_some(description))
                    .enum_values(Some([$($wire),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

#[cfg(test)]
mod tests {
    use super::WireName;
    use crate::display::Language;

    crate::wire_enum! {
        /// A test enum.
        #[derive(PartialOrd, Ord)]
        pub enum Sample: "sample" {
            /// One.
            First = "first" { id: "Pertama", en: "First" },
            Second = "second_one" { id: "Kedua", en: "Second" },
        }
    }

    #[test]
    fn names_labels_and_order_come_from_the_table() {
        assert_eq!(Sample::ALL, [Sample::First, Sample::Second]);
        assert_eq!(Sample::Second.as_str(), "second_one");
        assert_eq!(Sample::parse("second_one"), Some(Sample::Second));
        assert_eq!(Sample::parse("Second"), None);
        assert_eq!(Sample::Second.label(Language::En), "Second");
        assert_eq!(Sample::First.label(Language::Id), "Pertama");
        assert!(Sample::First < Sample::Second);
        assert_eq!(Sample::NAMES, ["first", "second_one"]);
    }

    /// The names are stored in databases and used by API clients: renaming one is a migration.
    #[test]
    fn stored_names_are_stable() {
        use crate::account::Role;
        use crate::commitments::RegulationKind;
        use crate::workers::{Coverage, DeactivationReason, Status};
        use crate::{AgeBand, Dimension, FundingSource, Program, Segment, Sex};
        assert_eq!(Dimension::NAMES, ["funding", "segment", "program", "sex", "age_band"]);
        assert_eq!(AgeBand::NAMES, ["under_25", "25_34", "35_44", "45_54", "55_plus"]);
        assert_eq!(Sex::NAMES, ["male", "female"]);
        assert_eq!(Program::NAMES, ["jkk_jkm", "jkk_jkm_jht"]);
        assert_eq!(
            FundingSource::NAMES,
            [
                "dana_desa",
                "other_apbdes",
                "apbd_regency",
                "apbd_province",
                "csr",
                "baznas",
                "self_paid",
                "employer"
            ]
        );
        assert_eq!(Segment::NAMES.len(), 15);
        assert_eq!(Segment::NAMES[..3], ["farmer", "fisher", "street_vendor"]);
        assert_eq!(Segment::NAMES[14], "other");
        assert_eq!(Status::NAMES, ["submitted", "verified", "rejected"]);
        assert_eq!(Coverage::NAMES, ["active", "lapsing", "lapsed"]);
        assert_eq!(
            DeactivationReason::NAMES,
            ["moved", "died", "wage_employed", "duplicate", "withdrew"]
        );
        assert_eq!(
            Role::NAMES,
            [
                "village_operator",
                "district_officer",
                "regency_admin",
                "bpjs_verifier",
                "national_admin"
            ]
        );
        assert_eq!(
            RegulationKind::NAMES,
            ["perbup", "pergub", "surat_edaran", "mou", "pks"]
        );
    }

    #[test]
    fn serde_goes_through_the_names() {
        assert_eq!(serde_json::to_string(&Sample::Second).unwrap(), r#""second_one""#);
        let back: Sample = serde_json::from_str(r#""first""#).unwrap();
        assert_eq!(back, Sample::First);
        let err = serde_json::from_str::<Sample>(r#""third""#).unwrap_err().to_string();
        assert!(err.contains("unknown variant `third`"), "{err}");
        assert!(serde_json::from_str::<Sample>("3").is_err());
    }
}
