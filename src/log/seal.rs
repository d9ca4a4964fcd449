//! Seals (SPEC section 5): a laptop's ed25519 signature over the line just before a
//! `sealed` line, so that a log rewritten and re-chained anywhere without that laptop's key
//! shows. The message signed is `"sitecheck-seal-v1\n" + visit + "\n" + seq + "\n" + head`,
//! where `seq` (decimal) and `head` are the sealed line's. A key is named by its public
//! half, in standard base64: a seal can be checked without any file but the log.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// The first line of every signed message: a signature made for anything else never
/// passes as a seal.
pub const SEAL_CONTEXT: &str = "sitecheck-seal-v1";

/// The exact bytes a seal signs.
pub fn seal_message(visit: &str, seq: u64, head: &str) -> String {
    format!("{SEAL_CONTEXT}\n{visit}\n{seq}\n{head}")
}

/// A laptop's signing key.
pub struct Sealer {
    key: SigningKey,
    id: String,
}

/// Shows the public half only: the secret never reaches a log or a debug print.
impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer").field("key", &self.id).finish()
    }
}

impl Sealer {
    /// The key whose secret half is these 32 bytes.
    pub fn from_secret(secret: &[u8; 32]) -> Sealer {
        let key = SigningKey::from_bytes(secret);
        let id = key_id(&key.verifying_key());
        Sealer { key, id }
    }

    /// The public half, as `sealed` lines and `keys show` name it.
    pub fn key_id(&self) -> &str {
        &self.id
    }

    /// The `sig` member of the seal of line `seq` (hash `head`) of `visit`.
    pub fn sign(&self, visit: &str, seq: u64, head: &str) -> String {
        let signature = self.key.sign(seal_message(visit, seq, head).as_bytes());
        STANDARD.encode(signature.to_bytes())
    }
}

/// Why a `sealed` line does not seal its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealWhy {
    #[error("the seal names a head that is not the hash of the line before it")]
    WrongHead,
    #[error(
        "the seal's signature does not hold for this visit and line — the log was rewritten, or the seal copied from elsewhere"
    )]
    BadSignature,
    #[error("a seal with nothing before it to seal")]
    NothingSealed,
}

/// The rule a `sealed` line meets: it names the line before it (`prev_seq`, `prev_hash`)
/// and its key signed that line of this visit.
pub fn check_seal(
    visit: &str,
    prev: Option<(u64, &str)>,
    key: &str,
    head: &str,
    sig: &str,
) -> Result<(), SealWhy> {
    let (prev_seq, prev_hash) = prev.ok_or(SealWhy::NothingSealed)?;
    if head != prev_hash {
        return Err(SealWhy::WrongHead);
    }
    if !signature_holds(key, visit, prev_seq, head, sig) {
        return Err(SealWhy::BadSignature);
    }
    Ok(())
}

/// The key of the seal that covers the log: the last seal, when no sealable event came
/// after it. `None` for a log whose latest sealable line is unsealed (or that has none).
pub fn covering_seal(events: &[crate::log::Event]) -> Option<&str> {
    use crate::log::EventKind;
    for event in events.iter().rev() {
        match &event.kind {
            EventKind::Sealed { key, .. } => return Some(key),
            kind if kind.is_sealable() => return None,
            _ => {}
        }
    }
    None
}

/// How a public key is named: its 32 bytes in standard base64.
pub fn key_id(key: &VerifyingKey) -> String {
    STANDARD.encode(key.as_bytes())
}

/// Whether `key_id` names a well-formed ed25519 public key.
pub fn is_key_id(key_id: &str) -> bool {
    verifying_key(key_id).is_some()
}

fn verifying_key(key_id: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = STANDARD.decode(key_id).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Whether `sig` is `key_id`'s signature of the seal of line `seq` (hash `head`) of `visit`.
pub fn signature_holds(key_id: &str, visit: &str, seq: u64, head: &str, sig: &str) -> bool {
    let Some(key) = verifying_key(key_id) else {
        return false;
    };
    let Some(bytes) = STANDARD
        .decode(sig)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    key.verify_strict(
        seal_message(visit, seq, head).as_bytes(),
        &Signature::from_bytes(&bytes),
    )
    .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VISIT: &str = "01JD0000000000000000000001";
    const HEAD: &str = "ab00000000000000000000000000000000000000000000000000000000000000";

    #[test]
    fn a_seal_holds_for_its_line_only() {
        let sealer = Sealer::from_secret(&[7; 32]);
        let sig = sealer.sign(VISIT, 9, HEAD);
        assert!(signature_holds(sealer.key_id(), VISIT, 9, HEAD, &sig));
        assert!(
            !signature_holds(sealer.key_id(), VISIT, 8, HEAD, &sig),
            "another line"
        );
        let other_visit = "01JD0000000000000000000002";
        assert!(!signature_holds(
            sealer.key_id(),
            other_visit,
            9,
            HEAD,
            &sig
        ));
        let other_head = HEAD.replace("ab", "ac");
        assert!(!signature_holds(
            sealer.key_id(),
            VISIT,
            9,
            &other_head,
            &sig
        ));
        let other_key = Sealer::from_secret(&[8; 32]);
        assert!(!signature_holds(other_key.key_id(), VISIT, 9, HEAD, &sig));
    }

    #[test]
    fn garbage_keys_and_signatures_never_hold_and_never_panic() {
        for (key, sig) in [("", ""), ("not base64!", "x"), ("AAAA", "AAAA")] {
            assert!(!signature_holds(key, VISIT, 1, HEAD, sig));
        }
        assert!(!is_key_id("AAAA"));
        assert!(is_key_id(Sealer::from_secret(&[1; 32]).key_id()));
    }

    #[test]
    fn the_message_is_the_documented_one() {
        assert_eq!(
            seal_message(VISIT, 12, HEAD),
            format!("sitecheck-seal-v1\n{VISIT}\n12\n{HEAD}")
        );
    }
}
