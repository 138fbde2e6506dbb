//! The operating system's keyring through the `keyring` crate: Secret Service on Linux (GNOME Keyring,
//! KWallet, KeePassXC), Keychain on macOS, Credential Manager on Windows. Items are under the service
//! `twofold`; on Linux they go into the default collection (the login keyring) with a label a person
//! recognises in Seahorse.

use std::sync::Arc;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::Failure;
use crate::store::{Bounded, SecretStore};

/// The keyring's service name for Twofold's items.
pub const SERVICE: &str = "twofold";

/// The system keyring, every call bounded by a timeout (see [`Bounded`]).
pub struct SystemKeyring(Bounded);

impl SystemKeyring {
    pub fn new(timeout: Duration) -> Self {
        Self(Bounded::new(Arc::new(Unbounded), timeout))
    }
}

impl SecretStore for SystemKeyring {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
        self.0.get(name)
    }
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), Failure> {
        self.0.set(name, secret)
    }
    fn delete(&self, name: &str) -> Result<bool, Failure> {
        self.0.delete(name)
    }
}

/// The calls themselves, which may block (D-Bus, a prompt).
struct Unbounded;

fn entry(name: &str) -> Result<keyring::Entry, Failure> {
    #[cfg(target_os = "linux")]
    {
        let mut credential =
            keyring::secret_service::SsCredential::new_with_target(None, SERVICE, name).map_err(failure)?;
        credential.label = String::from("Twofold: opens the vault on this computer");
        Ok(keyring::Entry::new_with_credential(Box::new(credential)))
    }
    #[cfg(not(target_os = "linux"))]
    {
        keyring::Entry::new(SERVICE, name).map_err(failure)
    }
}

impl SecretStore for Unbounded {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
        match entry(name)?.get_secret() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(failure(error)),
        }
    }
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), Failure> {
        entry(name)?.set_secret(secret).map_err(failure)
    }
    fn delete(&self, name: &str) -> Result<bool, Failure> {
        match entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(error) => Err(failure(error)),
        }
    }
}

/// The `keyring` crate's error as one of ours. The Secret Service backend reports a locked collection whose
/// prompt was dismissed as `NoStorageAccess`, and a missing service or bus as `PlatformFailure`.
fn failure(error: keyring::Error) -> Failure {
    match error {
        keyring::Error::NoStorageAccess(_) => Failure::Locked,
        keyring::Error::PlatformFailure(inner) => Failure::NoService { detail: one_line(&inner.to_string()) },
        keyring::Error::Ambiguous(_) => {
            Failure::Other { detail: String::from("the keyring holds several items for this vault") }
        }
        other => Failure::Other { detail: one_line(&other.to_string()) },
    }
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
