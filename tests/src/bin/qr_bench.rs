//! Twofold's QR decoder against `zbarimg` (Debian `zbar-tools`, the decoder OTPClient uses), side by side in
//! one run on the same generated corpus of hard frames at 640×480 and 1280×720.
//!
//! ```text
//! cargo run --release -p twofold-tests --bin qr_bench [-- FRAMES_PER_KIND]
//! ```
//!
//! Prints a Markdown table: per size and kind of damage, the codes each decoder read correctly and the time
//! per frame. Twofold's time is `decode_luma` on the in-memory frame, as the camera calls it. zbar's is one
//! `zbarimg` process reading every PNG of that row, divided by the frame count (so its process start is
//! spread over the row, and it also pays PNG decoding); only zbar's QR reader is enabled.
//!
//! Both wall time and CPU time are shown: on a shared machine the wall time includes waiting for a core,
//! the CPU time (Linux `/proc/thread-self/stat` for Twofold, `/usr/bin/time` for zbar; 10 ms ticks summed
//! over the row) is the work itself. The closing lines check the targets: Twofold reads at least as many
//! codes as zbar in every row, and every kind of 1280×720 frame takes under 33 ms of CPU on average (wall
//! time when CPU time is unavailable). Exits 1 when a target is missed.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use twofold_tests::qr_corpus::{self, Damage, Sample};

const SIZES: [(usize, usize); 2] = [(640, 480), (1280, 720)];
const FRAME_BUDGET: Duration = Duration::from_millis(33);

struct Row {
    size: (usize, usize),
    damage: Damage,
    codes: usize,
    ours: usize,
    zbar: Option<usize>,
    ours_mean: Duration,
    ours_max: Duration,
    ours_cpu: Option<Duration>,
    zbar_per_frame: Option<Duration>,
    zbar_cpu: Option<Duration>,
}

/// CPU time used so far by the calling thread (user + system), from `/proc/thread-self/stat`.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime), counted after the command name: indexes 11 and 12.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn main() -> ExitCode {
    let frames: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(12);
    let dir = std::env::temp_dir().join(format!("twofold-qr-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("qr_bench: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let zbar_available = Command::new("zbarimg").arg("--version").output().is_ok();
    if !zbar_available {
        eprintln!("qr_bench: zbarimg not found (apt-get install zbar-tools); its columns stay empty");
    }
    let mut rows = Vec::new();
    for size in SIZES {
        for damage in Damage::ALL {
            match bench_row(size, damage, frames, &dir, zbar_available) {
                Ok(row) => rows.push(row),
                Err(e) => {
                    eprintln!("qr_bench: {} {}×{}: {e}", damage.name(), size.0, size.1);
                    let _ = std::fs::remove_dir_all(&dir);
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    print_table(&rows, frames);
    if verdict(&rows) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn bench_row(size: (usize, usize), damage: Damage, frames: usize, dir: &Path, zbar: bool) -> Result<Row, String> {
    let samples: Vec<Sample> =
        (0..frames).map(|seed| qr_corpus::sample(damage, size.0, size.1, seed as u64)).collect::<Result<_, _>>()?;
    let codes = samples.iter().map(|s| s.expected.len()).sum();
    let mut ours = 0;
    let mut total = Duration::ZERO;
    let mut worst = Duration::ZERO;
    let cpu_start = thread_cpu();
    for sample in &samples {
        let start = Instant::now();
        let found = twofold_core::qr::decode_luma(sample.width, sample.height, sample.width, &sample.pixels)
            .map_err(|e| e.to_string())?;
        let took = start.elapsed();
        total += took;
        worst = worst.max(took);
        ours += sample.expected.iter().filter(|e| found.iter().any(|f| f.as_str() == e.as_str())).count();
    }
    let ours_cpu = match (cpu_start, thread_cpu()) {
        (Some(a), Some(b)) => Some((b - a) / frames as u32),
        _ => None,
    };
    let (zbar_found, zbar_time, zbar_cpu) = if zbar {
        let paths: Vec<PathBuf> = samples
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let path = dir.join(format!("{}-{}x{}-{i}.png", damage.name(), size.0, size.1));
                qr_corpus::write_png(s, &path).map(|()| path)
            })
            .collect::<Result<_, _>>()?;
        let (found, took, cpu) = run_zbar(&paths, &samples)?;
        (Some(found), Some(took / frames as u32), cpu.map(|c| c / frames as u32))
    } else {
        (None, None, None)
    };
    Ok(Row {
        size,
        damage,
        codes,
        ours,
        zbar: zbar_found,
        ours_mean: total / frames as u32,
        ours_max: worst,
        ours_cpu,
        zbar_per_frame: zbar_time,
        zbar_cpu,
    })
}

/// Runs one `zbarimg --xml` over every file and counts, per file, the expected payloads it printed.
/// Also returns zbar's CPU time when `/usr/bin/time` is there to measure it.
fn run_zbar(paths: &[PathBuf], samples: &[Sample]) -> Result<(usize, Duration, Option<Duration>), String> {
    let timer = Path::new("/usr/bin/time");
    let mut command = if timer.exists() {
        let mut c = Command::new(timer);
        c.args(["-f", "zbar-cpu %U %S", "zbarimg"]);
        c
    } else {
        Command::new("zbarimg")
    };
    let start = Instant::now();
    let output = command
        .args(["--quiet", "--xml", "-Sdisable", "-Sqrcode.enable"])
        .args(paths)
        .output()
        .map_err(|e| format!("zbarimg: {e}"))?;
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let cpu = stderr.lines().find_map(|line| {
        let mut parts = line.strip_prefix("zbar-cpu ")?.split(' ');
        let user: f64 = parts.next()?.parse().ok()?;
        let system: f64 = parts.next()?.parse().ok()?;
        Some(Duration::from_secs_f64(user + system))
    });
    let xml = String::from_utf8_lossy(&output.stdout);
    let mut found = 0;
    for (path, sample) in paths.iter().zip(samples) {
        let name = path.display().to_string();
        let Some(begin) = xml.find(&format!("<source href='{name}'")) else { continue };
        let rest = &xml[begin..];
        let chunk = &rest[..rest.find("</source>").unwrap_or(rest.len())];
        let payloads: Vec<&str> =
            chunk.split("<![CDATA[").skip(1).filter_map(|part| part.split("]]>").next()).collect();
        found += sample.expected.iter().filter(|e| payloads.contains(&e.as_str())).count();
    }
    Ok((found, took, cpu))
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn print_table(rows: &[Row], frames: usize) {
    println!("QR decoding, Twofold (rqrr + extra passes) vs zbarimg, {frames} generated frames per row");
    println!();
    println!(
        "| size | damage | codes | Twofold read | zbar read | Twofold CPU ms/frame | zbar CPU ms/frame | Twofold wall ms/frame (mean / max) | zbar wall ms/frame |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {}×{} | {} | {} | {} | {} | {} | {} | {} / {} | {} |",
            r.size.0,
            r.size.1,
            r.damage.name(),
            r.codes,
            r.ours,
            r.zbar.map_or("-".into(), |z| z.to_string()),
            r.ours_cpu.map_or("-".into(), ms),
            r.zbar_cpu.map_or("-".into(), ms),
            ms(r.ours_mean),
            ms(r.ours_max),
            r.zbar_per_frame.map_or("-".into(), ms),
        );
    }
    println!();
}

fn verdict(rows: &[Row]) -> bool {
    let mut ok = true;
    for r in rows {
        if let Some(z) = r.zbar
            && r.ours < z
        {
            println!(
                "MISSED: {} at {}×{}: Twofold read {} codes, zbar {}",
                r.damage.name(),
                r.size.0,
                r.size.1,
                r.ours,
                z
            );
            ok = false;
        }
    }
    let hd: Vec<&Row> = rows.iter().filter(|r| r.size == (1280, 720)).collect();
    let per_kind = |r: &&Row| r.ours_cpu.unwrap_or(r.ours_mean);
    let mean = hd.iter().map(per_kind).sum::<Duration>() / hd.len().max(1) as u32;
    let worst_kind = hd.iter().map(per_kind).max().unwrap_or_default();
    let worst_wall = hd.iter().map(|r| r.ours_max).max().unwrap_or_default();
    let kind = if hd.iter().all(|r| r.ours_cpu.is_some()) { "CPU" } else { "wall" };
    println!(
        "1280×720: Twofold {kind} time {} ms/frame over all kinds, slowest kind {} ms/frame on average (budget {} ms); slowest frame {} ms wall",
        ms(mean),
        ms(worst_kind),
        FRAME_BUDGET.as_millis(),
        ms(worst_wall),
    );
    if worst_kind >= FRAME_BUDGET {
        println!("MISSED: a kind of 1280×720 frame takes {} ms on average, over the frame budget", ms(worst_kind));
        ok = false;
    }
    println!("{}", if ok { "targets met" } else { "targets missed" });
    ok
}
