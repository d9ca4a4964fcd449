//! Localised text: a plain string, or a map from language tag to string.

use serde::Serialize;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A text in one or more languages, in the order the author wrote them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Text {
    #[default]
    Empty,
    Plain(String),
    Translated(#[serde(serialize_with = "serialize_pairs")] Vec<(String, String)>),
}

fn serialize_pairs<S: serde::Serializer>(
    pairs: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (lang, text) in pairs {
        map.serialize_entry(lang, text)?;
    }
    map.end()
}

/// Read back as written by `Serialize` (for caches): null, a string, or a map kept in order.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("null, a string, or a map from language tag to string")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text::Empty)
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text::Empty)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
                Ok(Text::plain(text))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(Text::Translated(pairs))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    pub fn plain(text: impl Into<String>) -> Self {
        Text::Plain(text.into())
    }

    /// The text to show: the UI language, then the checklist's default, then any.
    pub fn get<'a>(&'a self, ui_lang: &str, default_lang: Option<&str>) -> &'a str {
        match self {
            Text::Empty => "",
            Text::Plain(text) => text,
            Text::Translated(pairs) => lookup(pairs, ui_lang)
                .or_else(|| default_lang.and_then(|lang| lookup(pairs, lang)))
                .or_else(|| pairs.first().map(|(_, text)| text.as_str()))
                .unwrap_or(""),
        }
    }

    /// Language tags this text is written in (none for a plain string).
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        let pairs: &[(String, String)] = match self {
            Text::Translated(pairs) => pairs,
            _ => &[],
        };
        pairs.iter().map(|(lang, _)| lang.as_str())
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Text::Empty)
    }
}

/// Exact tag first (case-insensitive), then the same primary language (`zh` for `zh-CN`).
fn lookup<'a>(pairs: &'a [(String, String)], lang: &str) -> Option<&'a str> {
    let exact = pairs.iter().find(|(tag, _)| tag.eq_ignore_ascii_case(lang));
    let primary = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    exact
        .or_else(|| pairs.iter().find(|(tag, _)| primary(tag) == primary(lang)))
        .map(|(_, text)| text.as_str())
}

/// A well-formed BCP 47-ish tag as checklists use them: `en`, `zh-CN`, `zh-Hant-TW`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both() -> Text {
        Text::Translated(vec![
            ("zh-CN".into(), "出示上岗证".into()),
            ("en".into(), "Show the badge".into()),
        ])
    }

    #[test]
    fn falls_back_from_ui_language_to_default_to_any() {
        assert_eq!(both().get("en", Some("zh-CN")), "Show the badge");
        assert_eq!(both().get("zh-CN", Some("en")), "出示上岗证");
        assert_eq!(both().get("zh", None), "出示上岗证");
        assert_eq!(both().get("fr", Some("en")), "Show the badge");
        assert_eq!(both().get("fr", None), "出示上岗证");
        assert_eq!(Text::plain("x").get("fr", None), "x");
    }

    #[test]
    fn reads_back_what_it_writes() {
        for text in [Text::Empty, Text::plain("x"), both()] {
            let json = serde_json::to_string(&text).unwrap();
            assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), text, "{json}");
        }
    }

    #[test]
    fn language_tags() {
        for good in ["en", "zh-CN", "zh-Hant-TW", "de-CH"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english1", "zh_CN", "zh-", "-CN", "中文"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
