//! The checks of a presented SD-JWT VC (RFC 9901 "Selective Disclosure for JWTs", SD-JWT VC
//! draft), as OpenID4VP hands it to a verifier: `<issuer JWT>~<disclosure>~...~<KB-JWT>`.
//!
//! - The issuer-signed JWT (`typ` `dc+sd-jwt`, ES256 or RS256) is signed by a key of a
//!   **trusted** issuer ([`issuer_of`] says whose it claims to be, before any key is fetched),
//!   is of the expected credential type (`vct`), and is not expired by the service clock.
//! - Every disclosure's SHA-256 digest is one the issuer signed, once: a forged or altered
//!   disclosure is refused, not ignored.
//! - The key binding JWT (`typ` `kb+jwt`) is signed by the holder key the credential names
//!   (`cnf.jwk`), for this request's `nonce` and this verifier (`aud`), recent, and its
//!   `sd_hash` covers exactly what was presented: a presentation replayed to another request,
//!   or re-assembled, is refused.

use std::collections::{HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The clock difference tolerated with the wallet and the issuer, in seconds.
pub const SKEW_SECONDS: i64 = 60;
/// How old a key binding JWT may be, in seconds.
pub const KB_MAX_AGE_SECONDS: i64 = 300;

/// Why a presentation is refused; [`Refusal::code`] is what the proofing records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not an SD-JWT presentation, or signed with another algorithm.
    Malformed,
    /// The credential's issuer is not among the configured trusted issuers.
    UntrustedIssuer,
    /// The issuer's signature does not verify.
    IssuerSignature,
    /// Not the credential type asked for (`vct`).
    WrongType,
    /// Expired, or issued in the future.
    Expired,
    /// A disclosure the issuer did not sign (forged or altered), or one given twice.
    ForgedDisclosure,
    /// No key binding JWT, or one not signed by the credential's holder key.
    KeyBinding,
    /// The key binding is for another request (a replayed presentation).
    Nonce,
    /// The key binding is for another verifier.
    Audience,
    /// The key binding does not cover what was presented.
    SdHash,
    /// No given name and family name disclosed.
    Claims,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Malformed => "malformed_presentation",
            Refusal::UntrustedIssuer => domain::identity::UNTRUSTED_ISSUER,
            Refusal::IssuerSignature => "bad_signature",
            Refusal::WrongType => "wrong_credential_type",
            Refusal::Expired => "expired_credential",
            Refusal::ForgedDisclosure => "forged_disclosure",
            Refusal::KeyBinding => "bad_key_binding",
            Refusal::Nonce => "wrong_nonce",
            Refusal::Audience => "wrong_audience",
            Refusal::SdHash => "wrong_sd_hash",
            Refusal::Claims => "missing_claims",
        }
    }
}

/// What the presentation must match.
pub struct Expected<'a> {
    /// The credential type (`vct`), e.g. `urn:eudi:pid:1`.
    pub vct: &'a str,
    /// This request's nonce and this verifier's client identifier.
    pub nonce: &'a str,
    pub audience: &'a str,
    /// The service time, in seconds since the epoch.
    pub now: i64,
}

/// What the presentation proves, once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presented {
    pub issuer: String,
    /// The JWK thumbprint (RFC 7638) of the holder key: the wallet's credential.
    pub holder: String,
    /// Given names then family name.
    pub name: String,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    /// The names of the claims the wallet disclosed.
    pub disclosed: Vec<String>,
}

/// The parts of a presentation.
struct Parts<'a> {
    issuer_jwt: &'a str,
    disclosures: Vec<&'a str>,
    kb_jwt: &'a str,
    /// What the key binding's `sd_hash` covers: all but the KB-JWT.
    signed_part: &'a str,
}

fn split(presentation: &str) -> Result<Parts<'_>, Refusal> {
    let last = presentation.rfind('~').ok_or(Refusal::Malformed)?;
    let (signed_part, kb_jwt) = presentation.split_at(last + 1);
    let mut pieces = signed_part[..last].split('~');
    let issuer_jwt = pieces.next().filter(|s| !s.is_empty());
    let disclosures: Vec<&str> = pieces.collect();
    if disclosures.iter().any(|d| d.is_empty()) {
        return Err(Refusal::Malformed);
    }
    Ok(Parts {
        issuer_jwt: issuer_jwt.ok_or(Refusal::Malformed)?,
        disclosures,
        kb_jwt,
        signed_part,
    })
}

/// The payload of a JWT, read without checking its signature.
fn unverified_payload(jwt: &str) -> Result<Map<String, Value>, Refusal> {
    let payload = jwt.split('.').nth(1).ok_or(Refusal::Malformed)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| Refusal::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| Refusal::Malformed)
}

/// The issuer the credential claims (`iss`), before anything is verified: the caller checks
/// it is trusted, then fetches its keys.
pub fn issuer_of(presentation: &str) -> Result<String, Refusal> {
    let parts = split(presentation)?;
    unverified_payload(parts.issuer_jwt)?
        .get("iss")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(Refusal::Malformed)
}

/// The algorithm of a JWT's header, if accepted, and the header's `typ` and `kid`.
fn header(jwt: &str, typ: &[&str]) -> Result<jsonwebtoken::Header, Refusal> {
    let header = jsonwebtoken::decode_header(jwt).map_err(|_| Refusal::Malformed)?;
    if !matches!(header.alg, Algorithm::ES256 | Algorithm::RS256)
        || !header.typ.as_deref().is_some_and(|t| typ.contains(&t))
    {
        return Err(Refusal::Malformed);
    }
    Ok(header)
}

/// A validation of the signature alone: times, issuer and audience are checked by hand.
fn signature_only(alg: Algorithm) -> Validation {
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims = HashSet::new();
    validation
}

/// Checks `presentation` against its trusted issuer's `keys` and what is `expected`.
pub fn verify(
    presentation: &str,
    keys: &JwkSet,
    expected: &Expected<'_>,
) -> Result<Presented, Refusal> {
    let parts = split(presentation)?;

    // The issuer's signature, by one of its published keys.
    let issuer_header = header(parts.issuer_jwt, &["dc+sd-jwt", "vc+sd-jwt"])?;
    let candidates: Vec<&Jwk> = match &issuer_header.kid {
        Some(kid) => keys.find(kid).into_iter().collect(),
        None => keys.keys.iter().collect(),
    };
    let payload = candidates
        .into_iter()
        .filter_map(|jwk| DecodingKey::from_jwk(jwk).ok())
        .find_map(|key| {
            jsonwebtoken::decode::<Map<String, Value>>(
                parts.issuer_jwt,
                &key,
                &signature_only(issuer_header.alg),
            )
            .ok()
        })
        .ok_or(Refusal::IssuerSignature)?
        .claims;
    if payload.get("vct").and_then(Value::as_str) != Some(expected.vct) {
        return Err(Refusal::WrongType);
    }
    let time = |name: &str| payload.get(name).and_then(Value::as_i64);
    if time("exp").is_some_and(|exp| exp + SKEW_SECONDS < expected.now)
        || time("iat").is_some_and(|iat| iat - SKEW_SECONDS > expected.now)
        || time("nbf").is_some_and(|nbf| nbf - SKEW_SECONDS > expected.now)
    {
        return Err(Refusal::Expired);
    }
    if payload
        .get("_sd_alg")
        .is_some_and(|alg| alg.as_str() != Some("sha-256"))
    {
        return Err(Refusal::Malformed);
    }
    let issuer = payload
        .get("iss")
        .and_then(Value::as_str)
        .ok_or(Refusal::Malformed)?
        .to_owned();

    // The holder's key binding.
    let cnf_jwk = payload
        .get("cnf")
        .and_then(|cnf| cnf.get("jwk"))
        .ok_or(Refusal::KeyBinding)?;
    let holder_jwk: Jwk =
        serde_json::from_value(cnf_jwk.clone()).map_err(|_| Refusal::KeyBinding)?;
    let holder = thumbprint(cnf_jwk)?;
    let kb_header = header(parts.kb_jwt, &["kb+jwt"]).map_err(|_| Refusal::KeyBinding)?;
    let holder_key = DecodingKey::from_jwk(&holder_jwk).map_err(|_| Refusal::KeyBinding)?;
    let binding = jsonwebtoken::decode::<Map<String, Value>>(
        parts.kb_jwt,
        &holder_key,
        &signature_only(kb_header.alg),
    )
    .map_err(|_| Refusal::KeyBinding)?
    .claims;
    if binding.get("nonce").and_then(Value::as_str) != Some(expected.nonce) {
        return Err(Refusal::Nonce);
    }
    if binding.get("aud").and_then(Value::as_str) != Some(expected.audience) {
        return Err(Refusal::Audience);
    }
    let iat = binding
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or(Refusal::KeyBinding)?;
    if iat - SKEW_SECONDS > expected.now || expected.now - iat > KB_MAX_AGE_SECONDS {
        return Err(Refusal::Expired);
    }
    if binding.get("sd_hash").and_then(Value::as_str) != Some(&digest(parts.signed_part)) {
        return Err(Refusal::SdHash);
    }

    // The disclosed claims.
    let (claims, disclosed) = disclose(payload, &parts.disclosures)?;
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let (Some(given), Some(family)) = (text("given_name"), text("family_name")) else {
        return Err(Refusal::Claims);
    };
    Ok(Presented {
        issuer,
        holder,
        name: format!("{given} {family}"),
        birth_date: text("birthdate").map(str::to_owned),
        birth_place: claims.get("place_of_birth").and_then(place),
        disclosed,
    })
}

/// `place_of_birth` as one line: "Paris, FR".
fn place(value: &Value) -> Option<String> {
    let parts: Vec<&str> = ["locality", "region", "country"]
        .iter()
        .filter_map(|k| value.get(k).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// base64url(SHA-256(`text`)): a disclosure's digest, and the key binding's `sd_hash`.
fn digest(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()))
}

/// The RFC 7638 thumbprint of an EC or RSA public JWK.
fn thumbprint(jwk: &Value) -> Result<String, Refusal> {
    let member = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .ok_or(Refusal::KeyBinding)
    };
    // The required members in lexicographic order, without white space.
    let canonical = match member("kty")? {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            member("crv")?,
            member("x")?,
            member("y")?
        ),
        "RSA" => format!(
            r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
            member("e")?,
            member("n")?
        ),
        _ => return Err(Refusal::KeyBinding),
    };
    Ok(digest(&canonical))
}

/// A disclosure, decoded: an object property (`[salt, name, value]`) or an array element
/// (`[salt, value]`).
struct Disclosure {
    name: Option<String>,
    value: Value,
}

/// Replaces the digests of `payload` by the disclosed claims (RFC 9901 §7.3); every disclosure
/// must be signed, once. Returns the claims and the names disclosed.
fn disclose(
    payload: Map<String, Value>,
    disclosures: &[&str],
) -> Result<(Map<String, Value>, Vec<String>), Refusal> {
    let mut by_digest = HashMap::new();
    for encoded in disclosures {
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| Refusal::Malformed)?;
        let array: Vec<Value> = serde_json::from_slice(&bytes).map_err(|_| Refusal::Malformed)?;
        let disclosure = match <[Value; 3]>::try_from(array.clone()) {
            Ok([_, Value::String(name), value]) => {
                if name == "_sd" || name == "..." {
                    return Err(Refusal::Malformed);
                }
                Disclosure {
                    name: Some(name),
                    value,
                }
            }
            _ => match <[Value; 2]>::try_from(array) {
                Ok([_, value]) => Disclosure { name: None, value },
                _ => return Err(Refusal::Malformed),
            },
        };
        if by_digest.insert(digest(encoded), disclosure).is_some() {
            return Err(Refusal::ForgedDisclosure);
        }
    }
    let mut walk = Walk {
        by_digest,
        seen: HashSet::new(),
        disclosed: Vec::new(),
    };
    let mut claims = walk.object(payload)?;
    if !walk.by_digest.is_empty() {
        // A disclosure whose digest the issuer never signed.
        return Err(Refusal::ForgedDisclosure);
    }
    claims.remove("_sd_alg");
    Ok((claims, walk.disclosed))
}

struct Walk {
    by_digest: HashMap<String, Disclosure>,
    /// Digests met in the payload: each may appear once.
    seen: HashSet<String>,
    disclosed: Vec<String>,
}

impl Walk {
    fn see(&mut self, digest: &str) -> Result<Option<Disclosure>, Refusal> {
        if !self.seen.insert(digest.to_owned()) {
            return Err(Refusal::Malformed);
        }
        Ok(self.by_digest.remove(digest))
    }

    fn object(&mut self, mut object: Map<String, Value>) -> Result<Map<String, Value>, Refusal> {
        let digests = match object.remove("_sd") {
            None => Vec::new(),
            Some(Value::Array(digests)) => digests,
            Some(_) => return Err(Refusal::Malformed),
        };
        let mut out = Map::new();
        for (name, value) in object {
            out.insert(name, self.value(value)?);
        }
        for digest in digests {
            let digest = digest.as_str().ok_or(Refusal::Malformed)?;
            if let Some(disclosure) = self.see(digest)? {
                // An array element's disclosure where a property's digest stands.
                let name = disclosure.name.ok_or(Refusal::ForgedDisclosure)?;
                if out.contains_key(&name) {
                    return Err(Refusal::Malformed);
                }
                let value = self.value(disclosure.value)?;
                self.disclosed.push(name.clone());
                out.insert(name, value);
            }
        }
        Ok(out)
    }

    fn value(&mut self, value: Value) -> Result<Value, Refusal> {
        Ok(match value {
            Value::Object(object) => Value::Object(self.object(object)?),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Object(ref o) if o.len() == 1 && o.contains_key("...") => {
                            let digest = o["..."].as_str().ok_or(Refusal::Malformed)?;
                            if let Some(disclosure) = self.see(digest)? {
                                if disclosure.name.is_some() {
                                    return Err(Refusal::ForgedDisclosure);
                                }
                                out.push(self.value(disclosure.value)?);
                            }
                        }
                        other => out.push(self.value(other)?),
                    }
                }
                Value::Array(out)
            }
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encode(value: &Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("valid"))
    }

    #[test]
    fn disclosed_claims_replace_their_digests_once() {
        let name = encode(&json!(["salt1", "given_name", "Jeanne"]));
        let nat = encode(&json!(["salt2", "FR"]));
        let hidden = encode(&json!(["salt3", "address", "secret"]));
        let payload = json!({
            "iss": "x", "_sd_alg": "sha-256",
            "_sd": [digest(&name), digest(&hidden)],
            "nationalities": [{"...": digest(&nat)}, {"...": "decoy"}],
        });
        let Value::Object(payload) = payload else {
            unreachable!()
        };
        let (claims, disclosed) = disclose(payload.clone(), &[&name, &nat]).expect("valid");
        assert_eq!(claims["given_name"], "Jeanne");
        assert_eq!(claims["nationalities"], json!(["FR"]));
        assert!(!claims.contains_key("address"), "not disclosed");
        assert!(!claims.contains_key("_sd") && !claims.contains_key("_sd_alg"));
        assert_eq!(disclosed, ["given_name"]);

        // A forged disclosure (its digest was not signed), or the same one twice: refused.
        let forged = encode(&json!(["salt9", "family_name", "MARTIN"]));
        assert_eq!(
            disclose(payload.clone(), &[&name, &forged]).expect_err("refused"),
            Refusal::ForgedDisclosure
        );
        assert_eq!(
            disclose(payload.clone(), &[&name, &name]).expect_err("refused"),
            Refusal::ForgedDisclosure
        );
        // An element's disclosure where a property's digest stands.
        let element = encode(&json!(["salt4", "value"]));
        let Value::Object(mixed) = json!({"_sd": [digest(&element)]}) else {
            unreachable!()
        };
        assert_eq!(
            disclose(mixed, &[&element]).expect_err("refused"),
            Refusal::ForgedDisclosure
        );
    }

    #[test]
    fn a_presentation_without_key_binding_or_issuer_is_malformed() {
        assert_eq!(split("abc").err(), Some(Refusal::Malformed));
        assert_eq!(split("~d1~").err(), Some(Refusal::Malformed));
        let parts = split("jwt~d1~d2~kb").expect("valid");
        assert_eq!(parts.disclosures, ["d1", "d2"]);
        assert_eq!(parts.signed_part, "jwt~d1~d2~");
        assert_eq!(parts.kb_jwt, "kb");
    }

    #[test]
    fn thumbprints_follow_rfc_7638() {
        // RFC 7638 §3.1's example key.
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"
        });
        assert_eq!(
            thumbprint(&jwk).expect("valid"),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }
}
