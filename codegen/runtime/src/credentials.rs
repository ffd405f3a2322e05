//! Credentials by name: each vendor's spec declares the ones it needs (any names, each with its
//! environment variable), and its generated module has a typed `Credentials` struct that
//! converts into a [`CredentialSet`], the runtime's name → value map. The runtime knows no
//! vendor's credential names.
//!
//! Nothing here falls back silently: [`CredentialSet::from_env`] fails naming every missing
//! variable, and the docs' sample values are used only by the mock server and by an explicit
//! [`CredentialSet::samples`] (`Config::with_samples`, `flightapi call --samples`).

use std::collections::BTreeMap;

use super::secret::Secret;

/// A credential a vendor needs, as its spec declares it.
#[derive(Debug, Clone, Copy)]
pub struct CredentialSpec {
    /// The spec name (`app_key`, `company_code`): templates say `{credential.app_key}`.
    pub name: &'static str,
    /// The environment variable it is read from.
    pub env: &'static str,
    /// What the vendor calls it.
    pub description: &'static str,
    /// The docs' sample value (the mock accepts it; a client uses it only when asked to).
    pub sample: Option<&'static str>,
    /// When the docs publish no sample: the value the mock server accepts by default.
    pub mock: Option<&'static str>,
    /// Never printed (every credential is kept as a secret; this says whether the typed
    /// struct hides it too).
    pub sensitive: bool,
    /// Only some operations need it (they say so when it is missing).
    pub optional: bool,
    /// The key of the spec's `encrypted` values.
    pub encryption: bool,
}

/// Why credentials could not be read: every missing variable, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{vendor}: missing credentials: set {}", missing.join(", "))]
pub struct CredentialsError {
    /// The vendor.
    pub vendor: &'static str,
    /// The environment variables that are not set.
    pub missing: Vec<&'static str>,
}

/// One account's credentials, by spec name. `Debug` shows the names only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CredentialSet {
    values: BTreeMap<String, Secret<String>>,
}

impl std::fmt::Debug for CredentialSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}

impl CredentialSet {
    /// No credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds credential `name`.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets credential `name`.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), Secret::new(value.into()));
    }

    /// The value of credential `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|s| s.expose().as_str())
    }

    /// The credential names that are set.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// The value of the vendor's encryption key credential, if the vendor has one and it is set.
    pub fn encryption_key(&self, specs: &[CredentialSpec]) -> Option<&str> {
        specs.iter().find(|c| c.encryption).and_then(|c| self.get(c.name))
    }

    /// Reads every credential from its environment variable. Fails naming every required
    /// variable that is unset or empty; never falls back to a sample.
    pub fn from_env(vendor: &'static str, specs: &[CredentialSpec]) -> Result<Self, CredentialsError> {
        Self::read(vendor, specs, |var| std::env::var(var).ok())
    }

    /// [`CredentialSet::from_env`] with another lookup (configuration files, tests).
    pub fn read(
        vendor: &'static str,
        specs: &[CredentialSpec],
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, CredentialsError> {
        let mut out = CredentialSet::new();
        let mut missing = Vec::new();
        for spec in specs {
            match lookup(spec.env).filter(|v| !v.is_empty()) {
                Some(v) => out.set(spec.name, v),
                None if spec.optional => {}
                None => missing.push(spec.env),
            }
        }
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(CredentialsError { vendor, missing })
        }
    }

    /// The docs' sample values, or the spec's `mock` values where the docs publish none:
    /// what the mock server accepts. A client uses them only when asked to explicitly.
    pub fn samples(specs: &[CredentialSpec]) -> Self {
        let mut out = CredentialSet::new();
        for spec in specs {
            if let Some(v) = spec.sample.or(spec.mock) {
                out.set(spec.name, v);
            }
        }
        out
    }

    /// What a mock server started from the command line accepts: each credential from its
    /// environment variable, else the sample.
    pub fn from_env_or_samples(specs: &[CredentialSpec]) -> Self {
        let mut out = Self::samples(specs);
        for spec in specs {
            if let Some(v) = std::env::var(spec.env).ok().filter(|v| !v.is_empty()) {
                out.set(spec.name, v);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[CredentialSpec] = &[
        CredentialSpec {
            name: "user_name",
            env: "X_USER",
            description: "",
            sample: Some("demo"),
            mock: None,
            sensitive: false,
            optional: false,
            encryption: false,
        },
        CredentialSpec {
            name: "password",
            env: "X_PASSWORD",
            description: "",
            sample: None,
            mock: Some("mock-pw"),
            sensitive: true,
            optional: false,
            encryption: false,
        },
        CredentialSpec {
            name: "aes",
            env: "X_AES",
            description: "",
            sample: None,
            mock: None,
            sensitive: true,
            optional: true,
            encryption: true,
        },
    ];

    #[test]
    fn every_missing_variable_is_named_and_samples_are_never_used() {
        let err = CredentialSet::read("x", SPECS, |_| None).unwrap_err();
        assert_eq!(err.missing, vec!["X_USER", "X_PASSWORD"]);
        assert_eq!(err.to_string(), "x: missing credentials: set X_USER, X_PASSWORD");
        let ok = CredentialSet::read("x", SPECS, |v| Some(format!("v-{v}"))).unwrap();
        assert_eq!(ok.get("password"), Some("v-X_PASSWORD"));
        assert_eq!(ok.encryption_key(SPECS), Some("v-X_AES"));
        assert_eq!(format!("{ok:?}"), r#"{"aes", "password", "user_name"}"#);
        let samples = CredentialSet::samples(SPECS);
        assert_eq!((samples.get("user_name"), samples.get("password")), (Some("demo"), Some("mock-pw")));
    }
}
