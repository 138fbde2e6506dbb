//! Crash safety of folder sync (issue 14, point 6): a process SIGKILLed at any moment of its sync writes
//! leaves both the local vault and the synced copy in the folder readable with the password, each holding
//! every account whose write had returned before the kill.
//!
//! The child (`src/bin/sync_writer.rs`) adds an account, saves, runs a sync round (which writes the copy), and
//! says so after each write returned. It is killed at a spread of moments until the kill has landed inside a
//! write of the copy and inside a save of the local vault several times each (seen by the temp file the write
//! left behind); the number of attempts is bounded, never timed.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use twofold_core::sync::{self, folder::COPY_NAME};
use twofold_core::vault::{KdfParams, VaultContents, VaultStore};
use twofold_core::{Account, OtpParams, Secret};

const PASSWORD: &str = "correct horse battery staple";
/// Kills inside each kind of write the test waits for.
const WANTED: u32 = 5;
/// The most children started before the test gives up (it then fails: the kills never landed in a write).
const MAX_ATTEMPTS: u32 = 3000;

/// The `N`s of the `acct-N` accounts the writer added (issuer `Crash`).
fn written(contents: &VaultContents) -> BTreeSet<u64> {
    contents
        .accounts
        .iter()
        .filter(|a| a.issuer == "Crash")
        .filter_map(|a| a.name.strip_prefix("acct-").and_then(|n| n.parse().ok()))
        .collect()
}

/// Files in `folder` whose names start with `prefix`.
fn count_prefixed(folder: &Path, prefix: &str) -> usize {
    std::fs::read_dir(folder)
        .map(|entries| entries.flatten().filter(|e| e.file_name().to_string_lossy().starts_with(prefix)).count())
        .unwrap_or(0)
}

/// What one child said before it died: the last account whose local save returned, and the last one whose
/// synced copy was written.
#[derive(Default)]
struct Said {
    added: Option<u64>,
    synced: Option<u64>,
}

/// A line of the child's: `added N` or `synced N`.
enum Line {
    Added(u64),
    Synced(u64),
}

/// Starts the writer, waits until it has said `after` (an `added` line when `after_added`, else a `synced`
/// line, so the kill falls in the sync round or in the next local save), waits `delay` more, and kills it.
fn run_and_kill(writer: &Path, vault: &Path, folder: &Path, after_added: bool, delay: Duration) -> (Said, Duration) {
    let mut child = Command::new(writer)
        .arg(vault)
        .arg(PASSWORD)
        .arg(folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start sync_writer");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    assert_eq!(lines.next().expect("a first line").expect("read"), "ready", "sync_writer did not start");
    // Read the child's lines while it runs, so its pipe never fills and blocks it.
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let number = |prefix: &str| line.strip_prefix(prefix).and_then(|n| n.parse::<u64>().ok());
            let parsed = match (number("added "), number("synced ")) {
                (Some(n), _) => Line::Added(n),
                (_, Some(n)) => Line::Synced(n),
                _ => continue,
            };
            if tx.send((parsed, std::time::Instant::now())).is_err() {
                break;
            }
        }
    });
    let mut said = Said::default();
    let mut added_at = None;
    let mut round_took = Duration::ZERO;
    let mut note = |said: &mut Said, line: (Line, std::time::Instant)| match line.0 {
        Line::Added(n) => {
            said.added = Some(n);
            added_at = Some(line.1);
        }
        Line::Synced(n) => {
            said.synced = Some(n);
            if let Some(at) = added_at {
                round_took = round_took.max(line.1 - at);
            }
        }
    };
    loop {
        let line = rx.recv().expect("sync_writer stopped before it was killed");
        let wanted = matches!(line.0, Line::Added(_)) == after_added;
        note(&mut said, line);
        if wanted {
            break;
        }
    }
    std::thread::sleep(delay);
    child.kill().expect("SIGKILL"); // SIGKILL on Unix
    let status = child.wait().expect("reap");
    assert!(status.code().is_none(), "sync_writer ended by itself ({status}) instead of being killed");
    reader.join().expect("reader thread");
    while let Ok(line) = rx.try_recv() {
        note(&mut said, line);
    }
    (said, round_took)
}

#[test]
fn sigkill_during_sync_writes_leaves_both_files_readable_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let (local, folder) = (dir.path().join("local"), dir.path().join("shared"));
    std::fs::create_dir_all(&local).unwrap();
    std::fs::create_dir_all(&folder).unwrap();
    let vault_path: PathBuf = local.join("twofold.vault");
    let store = VaultStore::new(&vault_path);
    // A few hundred accounts to start with, so that each write takes long enough for kills to land inside it.
    let mut start = VaultContents::new();
    let secret = Secret::from_bytes(vec![0x5A; 20]).unwrap();
    start.accounts = (0..300)
        .map(|i| {
            Account::new("Filler", format!("filler-{i}@example.com"), secret.clone(), OtpParams::default_totp(), 0)
        })
        .collect();
    store.create(PASSWORD, KdfParams::MINIMUM, &start).unwrap();

    let writer = Path::new(env!("CARGO_BIN_EXE_sync_writer"));
    let copy = folder.join(COPY_NAME);
    let copy_temp = "~syncthing~twofold-";
    let local_temp = ".twofold.vault.tmp-";
    let (mut in_copy_write, mut in_local_save) = (0u32, 0u32);
    let (mut last_added, mut last_synced): (Option<u64>, Option<u64>) = (None, None);
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    // How long a round took at most (from `added` to `synced`): the span the kill moments are spread over.
    let mut round_took = Duration::ZERO;
    let mut attempts = 0;
    while in_copy_write < WANTED || in_local_save < WANTED {
        attempts += 1;
        assert!(
            attempts <= MAX_ATTEMPTS,
            "after {MAX_ATTEMPTS} kills only {in_copy_write} landed in a copy write and {in_local_save} in a local save"
        );
        // xorshift64: a reproducible spread of kill moments over a round's length after the child said it
        // saved (the kill falls in the round, most of which is the copy's write) or said it synced (the kill
        // falls in the next local save).
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let spread = round_took.as_micros().max(1_000) as u64 * 3 / 2;
        let copy_temps_before = count_prefixed(&folder, copy_temp);
        let after_added = attempts % 2 == 1;
        let (said, took) = run_and_kill(writer, &vault_path, &folder, after_added, Duration::from_micros(rng % spread));
        round_took = round_took.max(took);
        last_added = said.added.max(last_added);
        last_synced = said.synced.max(last_synced);
        // A temp file the kill left is proof it landed inside that write (the copy's are removed only when an
        // hour old, so count new ones; the vault's are removed at the next unlock, below).
        if count_prefixed(&folder, copy_temp) > copy_temps_before {
            in_copy_write += 1;
        }
        if count_prefixed(&local, local_temp) > 0 {
            in_local_save += 1;
        }

        let vault =
            store.unlock(PASSWORD).unwrap_or_else(|e| panic!("attempt {attempts}: the local vault does not open: {e}"));
        let local_has = written(vault.contents());
        drop(vault);
        if let Some(n) = last_added {
            let missing: Vec<u64> = (0..=n).filter(|i| !local_has.contains(i)).collect();
            assert!(missing.is_empty(), "attempt {attempts}: the local vault lost accounts {missing:?}");
        }
        if copy.exists() || last_synced.is_some() {
            let synced = sync::open_copy(&copy, PASSWORD)
                .unwrap_or_else(|e| panic!("attempt {attempts}: the synced copy does not open: {e}"));
            let copy_has = written(&synced);
            if let Some(n) = last_synced {
                let missing: Vec<u64> = (0..=n).filter(|i| !copy_has.contains(i)).collect();
                assert!(missing.is_empty(), "attempt {attempts}: the synced copy lost accounts {missing:?}");
            }
            assert_eq!(synced.accounts.iter().filter(|a| a.issuer == "Filler").count(), 300);
        }
    }
    // The kills also let the writer get somewhere: accounts were saved and synced between them.
    assert!(last_synced.is_some_and(|n| n > 0), "no sync round ever completed");
    println!(
        "{attempts} kills: {in_copy_write} inside a copy write, {in_local_save} inside a local save; \
         {} accounts added, {} synced",
        last_added.map_or(0, |n| n + 1),
        last_synced.map_or(0, |n| n + 1)
    );
}
