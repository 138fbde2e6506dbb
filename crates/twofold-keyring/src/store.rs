//! The keyring as this crate needs it, a timeout around any keyring, and a fake one for tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use zeroize::Zeroizing;

use crate::Failure;

/// One secret per name, under the service `twofold`. `get` is `Ok(None)` when there is no such item.
pub trait SecretStore: Send + Sync {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, Failure>;
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), Failure>;
    /// Returns whether there was an item to delete.
    fn delete(&self, name: &str) -> Result<bool, Failure>;
}

/// Any keyring with every call run on its own thread and abandoned after `timeout`: the caller waits at most
/// that long, whatever the keyring does (a prompt nobody answers, a daemon that never replies). An abandoned
/// call finishes or hangs on its own thread, holding nothing of the caller's.
pub struct Bounded {
    inner: Arc<dyn SecretStore>,
    timeout: Duration,
}

impl Bounded {
    pub fn new(inner: Arc<dyn SecretStore>, timeout: Duration) -> Self {
        Self { inner, timeout }
    }

    fn call<T: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&dyn SecretStore) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let (tx, rx) = mpsc::channel();
        let inner = Arc::clone(&self.inner);
        std::thread::Builder::new()
            .name(format!("keyring-{what}"))
            .spawn(move || {
                // The receiver may be gone after a timeout; nothing to do then.
                let _ = tx.send(f(&*inner));
            })
            .map_err(|e| Failure::Other { detail: format!("cannot start the keyring thread: {e}") })?;
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(Failure::Timeout { seconds: self.timeout.as_secs().max(1) }),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(Failure::Other { detail: String::from("the keyring call ended without an answer") })
            }
        }
    }
}

impl SecretStore for Bounded {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
        let name = name.to_owned();
        self.call("get", move |k| k.get(&name))
    }
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), Failure> {
        let name = name.to_owned();
        let secret = Zeroizing::new(secret.to_vec());
        self.call("set", move |k| k.set(&name, &secret))
    }
    fn delete(&self, name: &str) -> Result<bool, Failure> {
        let name = name.to_owned();
        self.call("delete", move |k| k.delete(&name))
    }
}

/// What a [`MemoryKeyring`] does instead of working, to test each failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    #[default]
    None,
    /// As if no keyring service were on the bus.
    NoService,
    /// As if the keyring were locked and its prompt declined.
    Locked,
    /// Never answers (blocks until the keyring is dropped... or forever): for the timeout.
    Hang,
}

/// A keyring in memory, for tests. Cloning shares the items.
#[derive(Clone, Default)]
pub struct MemoryKeyring {
    items: Arc<Mutex<HashMap<String, Zeroizing<Vec<u8>>>>>,
    fault: Arc<Mutex<Fault>>,
}

impl MemoryKeyring {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every later call fail (or hang) this way.
    pub fn set_fault(&self, fault: Fault) {
        if let Ok(mut f) = self.fault.lock() {
            *f = fault;
        }
    }

    /// The names of the items held.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.items.lock().map(|i| i.keys().cloned().collect()).unwrap_or_default();
        names.sort();
        names
    }

    /// Replaces an item's secret directly (a test's "someone changed the keyring").
    pub fn put(&self, name: &str, secret: &[u8]) {
        if let Ok(mut items) = self.items.lock() {
            items.insert(name.to_owned(), Zeroizing::new(secret.to_vec()));
        }
    }

    fn check(&self) -> Result<(), Failure> {
        let fault = self.fault.lock().map(|f| *f).unwrap_or_default();
        match fault {
            Fault::None => Ok(()),
            Fault::NoService => Err(Failure::NoService { detail: String::from("no Secret Service (test)") }),
            Fault::Locked => Err(Failure::Locked),
            Fault::Hang => loop {
                std::thread::park();
            },
        }
    }

    fn with_items<T>(&self, f: impl FnOnce(&mut HashMap<String, Zeroizing<Vec<u8>>>) -> T) -> Result<T, Failure> {
        self.check()?;
        let mut items = self.items.lock().map_err(|_| Failure::Other { detail: String::from("poisoned") })?;
        Ok(f(&mut items))
    }
}

impl SecretStore for MemoryKeyring {
    fn get(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, Failure> {
        self.with_items(|items| items.get(name).cloned())
    }
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), Failure> {
        self.with_items(|items| {
            items.insert(name.to_owned(), Zeroizing::new(secret.to_vec()));
        })
    }
    fn delete(&self, name: &str) -> Result<bool, Failure> {
        self.with_items(|items| items.remove(name).is_some())
    }
}
