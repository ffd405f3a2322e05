//! The cryptography vendors ask for, written once on RustCrypto: digests (SHA-256, SHA-512,
//! MD5), HMACs, and AES-CBC (signatures, and `encrypted` values with a zero IV).

use aes::cipher::{
    block_padding::{Pkcs7, ZeroPadding},
    BlockDecryptMut, BlockEncryptMut, KeyIvInit,
};
use base64::Engine as _;
use hmac::Mac;
use sha2::{Digest, Sha512};

/// Why a value could not be encrypted or decrypted. Never quotes the key or the plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// AES keys are 16, 24 or 32 bytes.
    #[error("an AES key must be 16, 24 or 32 bytes long, this one has {0}")]
    KeyLength(usize),
    /// The ciphertext is not standard base64.
    #[error("the ciphertext is not valid base64")]
    Base64,
    /// Wrong key, or the ciphertext was altered.
    #[error("the ciphertext does not decrypt with this key (wrong key, or altered data)")]
    Decrypt,
}

/// Lowercase hex SHA-512 of the concatenated parts, with no separators.
///
pub fn sha512_hex(parts: &[&str]) -> String {
    let mut hasher = Sha512::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Standard base64 of AES-CBC(key, IV = 16 zero bytes, PKCS7 padding, `plaintext`).
///
/// The key length picks AES-128, AES-192 or AES-256.
pub fn aes_cbc_encrypt(key: &[u8], plaintext: &[u8]) -> Result<String, CryptoError> {
    const IV: [u8; 16] = [0; 16];
    let out = match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new(key.into(), &IV.into()).encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        24 => cbc::Encryptor::<aes::Aes192>::new(key.into(), &IV.into()).encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        32 => cbc::Encryptor::<aes::Aes256>::new(key.into(), &IV.into()).encrypt_padded_vec_mut::<Pkcs7>(plaintext),
        n => return Err(CryptoError::KeyLength(n)),
    };
    Ok(base64::engine::general_purpose::STANDARD.encode(out))
}

/// The inverse of [`aes_cbc_encrypt`].
pub fn aes_cbc_decrypt(key: &[u8], ciphertext: &str) -> Result<Vec<u8>, CryptoError> {
    const IV: [u8; 16] = [0; 16];
    let data = base64::engine::general_purpose::STANDARD.decode(ciphertext.trim()).map_err(|_| CryptoError::Base64)?;
    let out = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new(key.into(), &IV.into()).decrypt_padded_vec_mut::<Pkcs7>(&data),
        24 => cbc::Decryptor::<aes::Aes192>::new(key.into(), &IV.into()).decrypt_padded_vec_mut::<Pkcs7>(&data),
        32 => cbc::Decryptor::<aes::Aes256>::new(key.into(), &IV.into()).decrypt_padded_vec_mut::<Pkcs7>(&data),
        n => return Err(CryptoError::KeyLength(n)),
    };
    out.map_err(|_| CryptoError::Decrypt)
}

/// The IV of an AES-CBC signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iv {
    /// 16 zero bytes.
    Zero,
    /// The key's first 16 bytes.
    KeyPrefix,
}

/// The padding of an AES-CBC signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Padding {
    /// PKCS#7.
    Pkcs7,
    /// Zero bytes up to the block size (nothing added to a whole block).
    Zero,
}

/// AES-CBC encryption of `data`; the key's length (16, 24 or 32 bytes) picks AES-128, -192 or -256.
pub fn aes_cbc(key: &[u8], iv: Iv, padding: Padding, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let iv: [u8; 16] = match iv {
        Iv::Zero => [0; 16],
        Iv::KeyPrefix => key.get(..16).and_then(|k| k.try_into().ok()).ok_or(CryptoError::KeyLength(key.len()))?,
    };
    macro_rules! run {
        ($aes:ty) => {{
            let enc = cbc::Encryptor::<$aes>::new(key.into(), &iv.into());
            match padding {
                Padding::Pkcs7 => enc.encrypt_padded_vec_mut::<Pkcs7>(data),
                Padding::Zero => enc.encrypt_padded_vec_mut::<ZeroPadding>(data),
            }
        }};
    }
    Ok(match key.len() {
        16 => run!(aes::Aes128),
        24 => run!(aes::Aes192),
        32 => run!(aes::Aes256),
        n => return Err(CryptoError::KeyLength(n)),
    })
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> Vec<u8> {
    sha2::Sha256::digest(data).to_vec()
}

/// SHA-512 of `data`.
pub fn sha512(data: &[u8]) -> Vec<u8> {
    Sha512::digest(data).to_vec()
}

/// MD5 of `data` (some vendors still sign with it).
pub fn md5(data: &[u8]) -> Vec<u8> {
    md5::Md5::digest(data).to_vec()
}

/// HMAC-SHA256 of `data` with `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length.
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// HMAC-SHA512 of `data` with `key`.
pub fn hmac_sha512(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <hmac::Hmac<Sha512> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Standard base64.
pub fn base64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Compares two strings in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Whether `s` is standard base64 whose decoded length is a whole number of AES blocks.
pub fn looks_like_aes_ciphertext(s: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .is_ok_and(|bytes| !bytes.is_empty() && bytes.len() % 16 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512_published_signature_vector() {
        // Appendix I: "test" + "123456" + "1671178033".
        assert_eq!(
            sha512_hex(&["test", "123456", "1671178033"]),
            "99dbfae18aab459e0ca134a7eafdaa9efe83d3f4dcfd9d997b2797d055a69a5b65730cf88efdefd575503c12f61137e9764d8c37bc1213de1ad4ac22b32a09d0"
        );
    }

    #[test]
    fn aes_cbc_published_signature_vectors() {
        let secret = b"024sYXZXMlFKaiAa65IYuMCB0hE2CgaP";
        assert_eq!(
            aes_cbc_encrypt(secret, b"ctPJAIdxUA3ptaWC&1500375695.65").unwrap(),
            "15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y="
        );
        assert_eq!(
            aes_cbc_encrypt(secret, b"ctPJAIdxUA3ptaWC&1685116516").unwrap(),
            "15hhHQ8C6F9OxD/BNyztUKf6OWRXFhlhkpAKecQW+4s="
        );
    }

    #[test]
    fn aes_128_round_trip_and_failures() {
        let key = b"0123456789abcdef";
        let plain = r#"[{"paxId":"1","name":"YGVU/ZTMII"}]"#.as_bytes();
        let sealed = aes_cbc_encrypt(key, plain).unwrap();
        assert!(looks_like_aes_ciphertext(&sealed));
        assert_eq!(aes_cbc_decrypt(key, &sealed).unwrap(), plain);
        assert_eq!(aes_cbc_encrypt(b"short", plain), Err(CryptoError::KeyLength(5)));
        assert_eq!(aes_cbc_decrypt(key, "not base64!"), Err(CryptoError::Base64));
        assert_eq!(aes_cbc_decrypt(b"fedcba9876543210", &sealed), Err(CryptoError::Decrypt));
        assert!(!looks_like_aes_ciphertext("YWJj"));
    }

    #[test]
    fn digests_and_hmacs_match_published_vectors() {
        // FIPS 180-2 "abc", RFC 1321 "abc", RFC 4231 test case 2.
        assert_eq!(hex::encode(sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hex::encode(md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(hex::encode(hmac_sha512(b"Jefe", b"what do ya want for nothing?")).starts_with("164b7a7bfcf819e2"));
        assert_eq!(hex::encode(sha512(b"")).len(), 128);
    }

    #[test]
    fn aes_cbc_signature_variants() {
        let key = b"024sYXZXMlFKaiAa65IYuMCB0hE2CgaP";
        let zero = aes_cbc(key, Iv::Zero, Padding::Pkcs7, b"ctPJAIdxUA3ptaWC&1685116516").unwrap();
        assert_eq!(base64(&zero), "15hhHQ8C6F9OxD/BNyztUKf6OWRXFhlhkpAKecQW+4s=");
        assert_ne!(
            aes_cbc(key, Iv::KeyPrefix, Padding::Pkcs7, b"x").unwrap(),
            aes_cbc(key, Iv::Zero, Padding::Pkcs7, b"x").unwrap()
        );
        assert_eq!(aes_cbc(key, Iv::Zero, Padding::Zero, &[1; 16]).unwrap().len(), 16);
        assert_eq!(aes_cbc(b"short", Iv::Zero, Padding::Pkcs7, b"x"), Err(CryptoError::KeyLength(5)));
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
