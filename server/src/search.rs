//! Region name search: all 91,599 names in memory, tolerant of case, accents, the optional
//! words "Kabupaten/Kota/Kecamatan/Desa/Kelurahan/Provinsi", prefixes and small typos.
//!
//! Name tokens go into an `fst` map (token → posting list); a query token matches a name
//! token exactly, as a prefix, or within a Levenshtein distance of 1 (2 for long words).

use std::collections::HashMap;

use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};
use pantau_core::api::{Crumb, SearchHit};
use pantau_core::{AreaCode, Level, RegionCode};

/// Most results returned for one query.
pub const MAX_HITS: usize = 10;

/// Generic words of region names: optional in a query, a bonus when they fit the region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Province,
    Regency,
    City,
    District,
    Village,
    UrbanVillage,
}

fn kind_word(token: &str) -> Option<Kind> {
    match token {
        "provinsi" | "prov" => Some(Kind::Province),
        "kabupaten" | "kab" => Some(Kind::Regency),
        "kota" => Some(Kind::City),
        "kecamatan" | "kec" => Some(Kind::District),
        "desa" => Some(Kind::Village),
        "kelurahan" | "kel" => Some(Kind::UrbanVillage),
        _ => None,
    }
}

fn kind_of(code: &RegionCode) -> Kind {
    let s = code.as_str();
    match code.level() {
        Level::Nation | Level::Province => Kind::Province,
        Level::Regency if s[3..5] >= *"71" => Kind::City,
        Level::Regency => Kind::Regency,
        Level::District => Kind::District,
        Level::Village if s.as_bytes().get(9) == Some(&b'1') => Kind::UrbanVillage,
        Level::Village => Kind::Village,
    }
}

/// Lower-case ASCII words of a name or query.
fn tokens(text: &str) -> Vec<String> {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

struct Entry {
    code: RegionCode,
    name: String,
    kind: Kind,
    /// Name words that identify the region ("Kabupaten"/"Kota" prefixes of regencies removed).
    words: usize,
}

/// The in-memory index, built once from the region list.
pub struct SearchIndex {
    entries: Vec<Entry>,
    by_code: HashMap<String, usize>,
    tokens: Map<Vec<u8>>,
    postings: Vec<Vec<u32>>,
}

impl SearchIndex {
    /// Builds the index from `(code, name)` pairs.
    pub fn build(regions: Vec<(RegionCode, String)>) -> anyhow::Result<Self> {
        let mut postings_by_token: HashMap<String, Vec<u32>> = HashMap::new();
        let mut entries = Vec::with_capacity(regions.len());
        for (i, (code, name)) in regions.into_iter().enumerate() {
            let mut words = tokens(&name);
            if code.level() == Level::Regency && words.len() > 1 && kind_word(&words[0]).is_some() {
                words.remove(0);
            }
            let id = u32::try_from(i)?;
            for word in &words {
                let list = postings_by_token.entry(word.clone()).or_default();
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
            entries.push(Entry {
                kind: kind_of(&code),
                words: words.len(),
                code,
                name,
            });
        }
        let mut sorted: Vec<(String, Vec<u32>)> = postings_by_token.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut builder = MapBuilder::memory();
        let mut postings = Vec::with_capacity(sorted.len());
        for (i, (token, list)) in sorted.into_iter().enumerate() {
            builder.insert(&token, i as u64)?;
            postings.push(list);
        }
        let by_code = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code.as_str().to_owned(), i))
            .collect();
        Ok(Self {
            entries,
            by_code,
            tokens: builder.into_map(),
            postings,
        })
    }

    /// Best score per region for one query word.
    fn matches(&self, word: &str) -> HashMap<u32, f64> {
        let mut best: HashMap<u32, f64> = HashMap::new();
        let mut add = |postings: &[u32], score: f64| {
            for &id in postings {
                let entry = best.entry(id).or_insert(0.0);
                *entry = entry.max(score);
            }
        };
        let mut collect = |automaton: &dyn Fn() -> Option<Vec<u64>>, score: f64| {
            if let Some(ids) = automaton() {
                for id in ids {
                    add(&self.postings[id as usize], score);
                }
            }
        };
        if let Some(id) = self.tokens.get(word) {
            collect(&|| Some(vec![id]), 3.0);
        }
        collect(&|| Some(stream_ids(&self.tokens, Str::new(word).starts_with())), 2.0);
        if word.len() >= 4 {
            let distance = if word.len() >= 8 { 2 } else { 1 };
            collect(
                &|| {
                    Levenshtein::new(word, distance)
                        .ok()
                        .map(|lev| stream_ids(&self.tokens, lev))
                },
                1.0,
            );
        }
        best
    }

    /// Regions best matching `query`, at most [`MAX_HITS`].
    pub fn search(&self, query: &str) -> Vec<SearchHit> {
        let words = tokens(query);
        let (kinds, required): (Vec<String>, Vec<String>) = words.into_iter().partition(|w| kind_word(w).is_some());
        let kinds: Vec<Kind> = kinds.iter().filter_map(|w| kind_word(w)).collect();
        if required.is_empty() {
            return Vec::new();
        }
        // A word may match the region's own name or, at half weight, an enclosing region's
        // ("sukamaju tambelang" finds the village Sukamaju in Kec. Tambelang); at least one
        // word must match the region itself.
        let found: Vec<HashMap<u32, f64>> = required.iter().map(|w| self.matches(w)).collect();
        let candidates: std::collections::HashSet<u32> = found.iter().flat_map(|f| f.keys().copied()).collect();
        let scores: HashMap<u32, f64> = candidates
            .into_iter()
            .filter_map(|id| {
                let ancestors: Vec<u32> = self.entries[id as usize]
                    .code
                    .ancestors()
                    .iter()
                    .filter_map(|a| self.by_code.get(a.as_str()).map(|&i| i as u32))
                    .collect();
                let mut total = 0.0;
                let mut own = false;
                for word in &found {
                    if let Some(score) = word.get(&id) {
                        total += score;
                        own = true;
                    } else {
                        total += 0.5 * ancestors.iter().filter_map(|a| word.get(a)).copied().reduce(f64::max)?;
                    }
                }
                own.then_some((id, total))
            })
            .collect();
        let mut ranked: Vec<(f64, u32)> = scores
            .into_iter()
            .map(|(id, score)| {
                let entry = &self.entries[id as usize];
                let kind_bonus = if kinds.contains(&entry.kind) { 2.0 } else { 0.0 };
                // Higher levels first on equal matches; fewer extra words first.
                let level_bonus = 0.1 * (4 - entry.code.level().depth().min(4)) as f64;
                let extra_words = entry.words.saturating_sub(required.len()) as f64;
                (score + kind_bonus + level_bonus - 0.3 * extra_words, id)
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| self.entries[a.1 as usize].code.cmp(&self.entries[b.1 as usize].code))
        });
        ranked
            .into_iter()
            .take(MAX_HITS)
            .map(|(_, id)| self.hit(&self.entries[id as usize]))
            .collect()
    }

    fn hit(&self, entry: &Entry) -> SearchHit {
        let parents = entry
            .code
            .ancestors()
            .into_iter()
            .rev()
            .filter_map(|code| {
                let parent = &self.entries[*self.by_code.get(code.as_str())?];
                Some(Crumb {
                    code: AreaCode::Region(code),
                    name: parent.name.clone(),
                    level: parent.code.level(),
                })
            })
            .collect();
        SearchHit {
            code: entry.code.clone(),
            name: entry.name.clone(),
            level: entry.code.level(),
            parents,
        }
    }
}

fn stream_ids<A: Automaton>(map: &Map<Vec<u8>>, automaton: A) -> Vec<u64> {
    let mut stream = map.search(automaton).into_stream();
    let mut ids = Vec::new();
    while let Some((_, id)) = stream.next() {
        ids.push(id);
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn index() -> &'static SearchIndex {
        static INDEX: OnceLock<SearchIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            let list = crate::reference::shipped().unwrap();
            SearchIndex::build(list.regions.into_iter().map(|r| (r.code, r.name)).collect()).unwrap()
        })
    }

    fn top(query: &str) -> Vec<String> {
        index().search(query).into_iter().map(|h| h.name).collect()
    }

    #[test]
    fn finds_regencies_without_their_prefix_and_in_any_case() {
        let hits = top("bekasi");
        assert_eq!(&hits[..2], ["Kabupaten Bekasi", "Kota Bekasi"], "{hits:?}");
        assert_eq!(top("BEKASI")[0], "Kabupaten Bekasi");
        assert_eq!(top("kota bekasi")[0], "Kota Bekasi");
        assert_eq!(top("kab. kayong utara")[0], "Kabupaten Kayong Utara");
    }

    #[test]
    fn tolerates_prefixes_and_small_typos() {
        assert_eq!(top("kayong")[0], "Kabupaten Kayong Utara");
        assert_eq!(top("majalenka")[0], "Kabupaten Majalengka", "one letter missing");
        assert_eq!(top("bekasy")[0], "Kabupaten Bekasi", "one letter wrong");
        assert_eq!(top("cibarusa")[0], "Cibarusah", "prefix");
    }

    #[test]
    fn villages_come_with_their_parents() {
        let hit = index().search("desa sukamaju tambelang").into_iter().next().unwrap();
        assert_eq!((hit.code.as_str(), hit.level), ("32.16.04.2002", Level::Village));
        let parents: Vec<&str> = hit.parents.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(parents, ["Tambelang", "Kabupaten Bekasi", "Jawa Barat"]);
    }

    #[test]
    fn generic_words_alone_find_nothing() {
        assert!(index().search("kabupaten").is_empty());
        assert!(index().search("  ").is_empty());
    }
}
