//! The ID token's checks (OpenID Connect Core §3.1.3.7): signed (RS256 or ES256) by one of the
//! provider's published keys, issued by the configured issuer to this client, for this
//! request's `nonce`, not expired nor issued in the future beyond [`SKEW_SECONDS`] (by the
//! service clock), at the required `acr` level or higher, and naming a person.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// The clock difference tolerated with the provider, in seconds.
pub const SKEW_SECONDS: i64 = 60;

/// Why an ID token is refused; [`Refusal::code`] is what the proofing records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a JWT, or signed with another algorithm than RS256 / ES256 (`none`, HS256...).
    Malformed,
    /// Signed by no key the provider publishes, or its content changed.
    Signature,
    /// Issued by another issuer, or for another client.
    Audience,
    /// Not for this authorization request: replayed from another one.
    Nonce,
    /// Expired, or issued in the future.
    Expired,
    /// Below the required level (`acr`), or without one.
    Level,
    /// No given name and family name.
    Claims,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Malformed => "malformed_token",
            Refusal::Signature => "bad_signature",
            Refusal::Audience => "wrong_audience",
            Refusal::Nonce => "wrong_nonce",
            Refusal::Expired => "expired_token",
            Refusal::Level => domain::identity::INSUFFICIENT_LEVEL,
            Refusal::Claims => "missing_claims",
        }
    }
}

/// What the provider asserts of the person, once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub subject: String,
    pub level: String,
    /// Given names then family name, as the provider spells them.
    pub name: String,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    nonce: Option<String>,
    exp: i64,
    iat: i64,
    acr: Option<String>,
    azp: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    birthdate: Option<String>,
    birthplace: Option<String>,
}

/// What the token must match.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    /// The provider's levels, weakest first, and the lowest accepted.
    pub levels: &'a [String],
    pub required_level: &'a str,
    /// The service time, in seconds since the epoch.
    pub now: i64,
}

/// The key id a token names, if it is a JWT signed with an accepted algorithm.
pub fn key_id(token: &str) -> Result<Option<String>, Refusal> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| Refusal::Malformed)?;
    match header.alg {
        Algorithm::RS256 | Algorithm::ES256 => Ok(header.kid),
        _ => Err(Refusal::Malformed),
    }
}

/// Checks `token` against the provider's `keys` and what is `expected`.
pub fn verify(token: &str, keys: &JwkSet, expected: &Expected<'_>) -> Result<Verified, Refusal> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| Refusal::Malformed)?;
    if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
        return Err(Refusal::Malformed);
    }
    let candidates: Vec<_> = match &header.kid {
        Some(kid) => keys.find(kid).into_iter().collect(),
        None => keys.keys.iter().collect(),
    };
    let mut validation = Validation::new(header.alg);
    // Times are checked below against the service clock, not the machine's.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.required_spec_claims = ["sub", "iss", "aud"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    validation.set_issuer(&[expected.issuer]);
    validation.set_audience(&[expected.client_id]);
    let mut refusal = Refusal::Signature;
    let mut claims = None;
    for jwk in candidates {
        let Ok(key) = DecodingKey::from_jwk(jwk) else {
            continue;
        };
        match jsonwebtoken::decode::<Claims>(token, &key, &validation) {
            Ok(data) => {
                claims = Some(data.claims);
                break;
            }
            Err(error) => {
                use jsonwebtoken::errors::ErrorKind;
                refusal = match error.kind() {
                    ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience => Refusal::Audience,
                    ErrorKind::InvalidSignature => Refusal::Signature,
                    ErrorKind::MissingRequiredClaim(_) | ErrorKind::Json(_) => Refusal::Claims,
                    _ => Refusal::Signature,
                };
            }
        }
    }
    let claims = claims.ok_or(refusal)?;
    if claims
        .azp
        .as_deref()
        .is_some_and(|azp| azp != expected.client_id)
    {
        return Err(Refusal::Audience);
    }
    if claims.nonce.as_deref() != Some(expected.nonce) {
        return Err(Refusal::Nonce);
    }
    if claims.exp <= expected.now - SKEW_SECONDS || claims.iat > expected.now + SKEW_SECONDS {
        return Err(Refusal::Expired);
    }
    let level = claims.acr.unwrap_or_default();
    if !level_reached(expected.levels, expected.required_level, &level) {
        return Err(Refusal::Level);
    }
    let (Some(given), Some(family)) = (claims.given_name, claims.family_name) else {
        return Err(Refusal::Claims);
    };
    let name = format!("{} {}", given.trim(), family.trim());
    if given.trim().is_empty() || family.trim().is_empty() {
        return Err(Refusal::Claims);
    }
    Ok(Verified {
        subject: claims.sub,
        level,
        name,
        birth_date: claims.birthdate,
        birth_place: claims.birthplace,
    })
}

/// Whether `acr` is `required` or a stronger level of `levels` (weakest first).
pub fn level_reached(levels: &[String], required: &str, acr: &str) -> bool {
    let rank = |level: &str| levels.iter().position(|l| l == level);
    matches!((rank(required), rank(acr)), (Some(required), Some(reached)) if reached >= required)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_01_a_lower_or_unknown_level_is_refused() {
        let levels: Vec<String> = ["eidas1", "eidas2", "eidas3"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert!(level_reached(&levels, "eidas2", "eidas2"));
        assert!(level_reached(&levels, "eidas2", "eidas3"));
        assert!(!level_reached(&levels, "eidas2", "eidas1"));
        assert!(!level_reached(&levels, "eidas2", ""));
        assert!(!level_reached(&levels, "eidas2", "EIDAS3"));
        assert!(!level_reached(&levels, "nope", "eidas3"));
    }

    #[test]
    fn id_01_unsigned_or_symmetric_tokens_are_refused() {
        // {"alg":"none"} and {"alg":"HS256"} headers.
        let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
        assert_eq!(key_id(none), Err(Refusal::Malformed));
        let hs = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        assert_eq!(key_id(hs), Err(Refusal::Malformed));
        assert_eq!(key_id("not a token"), Err(Refusal::Malformed));
    }
}
