//! A tenant id and the contract's rule for it.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A tenant id as the contract defines it: 1 to 63 characters of `a-z`,
/// `0-9` and `-`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantId(Arc<str>);

/// Why a text is not a tenant id, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTenantId {
    #[error("Enter a tenant id.")]
    Empty,
    #[error("A tenant id has at most 63 characters.")]
    TooLong,
    #[error("A tenant id uses only lowercase letters a–z, digits and “-”.")]
    BadCharacter,
    #[error("A tenant id cannot start or end with “-”.")]
    EdgeHyphen,
}

/// The longest tenant id, in characters (all of them ASCII).
pub const MAX_TENANT_ID_LEN: usize = 63;

impl TenantId {
    pub fn parse(text: &str) -> Result<Self, InvalidTenantId> {
        if text.is_empty() {
            return Err(InvalidTenantId::Empty);
        }
        if text.len() > MAX_TENANT_ID_LEN {
            return Err(InvalidTenantId::TooLong);
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(InvalidTenantId::BadCharacter);
        }
        if text.starts_with('-') || text.ends_with('-') {
            return Err(InvalidTenantId::EdgeHyphen);
        }
        Ok(Self(text.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TenantId {
    type Error = InvalidTenantId;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TenantId> for String {
    fn from(value: TenantId) -> Self {
        value.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_follow_the_contract() {
        for good in ["a", "acme-shoes", "a1-b2", &"x".repeat(63)] {
            assert!(TenantId::parse(good).is_ok(), "{good}");
        }
        assert_eq!(TenantId::parse(""), Err(InvalidTenantId::Empty));
        assert_eq!(
            TenantId::parse(&"x".repeat(64)),
            Err(InvalidTenantId::TooLong)
        );
        for bad in ["Acme", "acme_shoes", "ümlaut", "acme shoes"] {
            assert_eq!(TenantId::parse(bad), Err(InvalidTenantId::BadCharacter));
        }
        assert_eq!(TenantId::parse("-acme"), Err(InvalidTenantId::EdgeHyphen));
        assert_eq!(TenantId::parse("acme-"), Err(InvalidTenantId::EdgeHyphen));
    }

    #[test]
    fn a_tenant_id_is_a_json_string_and_only_a_valid_one_reads() {
        let id: TenantId = serde_json::from_str(r#""acme-shoes""#).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""acme-shoes""#);
        assert!(serde_json::from_str::<TenantId>(r#""Acme""#).is_err());
    }
}
