//! The SIGKILL loop shared by the durability test (200 kills) and the crash bench (1000 kills).

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use twofold_core::vault::VaultStore;

/// What a crash loop saw.
#[derive(Debug, Default)]
pub struct CrashStats {
    pub kills: u32,
    /// Kills after which a temp file was left: the child died inside a save.
    pub killed_mid_save: u32,
    /// Saves that completed, summed over all children.
    pub saves: u64,
}

/// Starts `saver crash VAULT PASSWORD` `iterations` times, kills it with SIGKILL at a reproducible
/// pseudo-random moment 0–30 ms after it is ready, and checks each time that the vault opens with the old
/// contents or newer ones (the first account's note `gen N` never goes back). Err describes the first failure.
pub fn crash_loop(saver: &Path, store: &VaultStore, password: &str, iterations: u32) -> Result<CrashStats, String> {
    let folder = store.path().parent().ok_or("vault has no folder")?.to_path_buf();
    let temp_prefix = format!(".{}.tmp-", store.path().file_name().ok_or("no file name")?.to_string_lossy());
    let temp_files = || -> Result<usize, String> {
        let entries = std::fs::read_dir(&folder).map_err(|e| e.to_string())?;
        Ok(entries.flatten().filter(|e| e.file_name().to_string_lossy().starts_with(&temp_prefix)).count())
    };
    let gen_of = |store: &VaultStore, i: u32| -> Result<u64, String> {
        let vault = store.unlock(password).map_err(|e| format!("iteration {i}: vault does not open: {e}"))?;
        let note = &vault.contents().accounts.first().ok_or("no account")?.note;
        Ok(note.strip_prefix("gen ").and_then(|n| n.parse().ok()).unwrap_or(0))
    };
    let mut stats = CrashStats::default();
    let mut last_gen = gen_of(store, 0)?;
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    for i in 0..iterations {
        let vault_arg = store.path().to_str().ok_or("vault path is not UTF-8")?;
        let mut child = Command::new(saver)
            .args(["crash", vault_arg, password])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
        if line.trim() != "ready" {
            return Err(format!("iteration {i}: child did not start"));
        }
        // xorshift64: a reproducible spread of kill moments.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_micros(rng % 30_000));
        child.kill().map_err(|e| e.to_string())?; // SIGKILL on Unix
        child.wait().map_err(|e| e.to_string())?;
        stats.kills += 1;
        if temp_files()? > 0 {
            stats.killed_mid_save += 1;
        }
        let gen_now = gen_of(store, i)?;
        if gen_now < last_gen {
            return Err(format!("iteration {i}: contents went back from gen {last_gen} to gen {gen_now}"));
        }
        if temp_files()? > 0 {
            return Err(format!("iteration {i}: unlock left a temp file behind"));
        }
        stats.saves += gen_now - last_gen;
        last_gen = gen_now;
    }
    Ok(stats)
}
