//! Typed identifiers: a letter's id cannot be passed where a transaction's is expected. Ids are
//! UUIDv7 text, made by the server; here they are opaque strings with a type.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id!(
    /// A letter: its author's draft, then the sent letter (LET-01, LET-03).
    LetterId
);
id!(
    /// One recipient of a sent letter, with its own status, deadlines and evidence (LET-03).
    TransactionId
);
id!(
    /// A person's account (ACC-01).
    AccountId
);
id!(
    /// An entry of a sender's address book (CONS-01).
    ContactId
);

/// A SHA-256 digest (LET-02: the fingerprint of an attachment, computed in the browser and again
/// by the server; EVD-01: of an evidence).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256(pub [u8; 32]);

impl Sha256 {
    /// Parses 64 hexadecimal digits (either case, surrounding white space ignored).
    pub fn from_hex(text: &str) -> Option<Sha256> {
        let text = text.trim().as_bytes();
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
            let digit = |c: u8| (c as char).to_digit(16);
            *byte = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
        }
        Some(Sha256(bytes))
    }

    /// Lowercase hexadecimal, 64 digits.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Display for Sha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl std::fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sha256({})", self.to_hex())
    }
}

impl Serialize for Sha256 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Sha256 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Sha256::from_hex(&text).ok_or_else(|| serde::de::Error::custom("not a SHA-256 in hex"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex_round_trip() {
        let hex = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        let digest = Sha256::from_hex(hex).expect("hex");
        assert_eq!(digest.to_hex(), hex.to_ascii_lowercase());
        assert_eq!(Sha256::from_hex(&hex[1..]), None);
        assert_eq!(Sha256::from_hex(&hex.replace('E', "g")), None);
        assert_eq!(Sha256::from_hex(&format!("{hex}00")), None);
    }

    #[test]
    fn ids_do_not_mix() {
        let letter = LetterId::from("0192".to_owned());
        assert_eq!(letter.as_str(), "0192");
        assert_eq!(letter.to_string(), "0192");
    }
}
