//! Twofold's QR decoder against `zbarimg` (Debian `zbar-tools`, the decoder OTPClient uses), side by side in
//! one run on the same generated corpus of hard frames at 640×480 and 1280×720.
//!
//! ```text
//! cargo run --release -p twofold-tests --bin qr_bench [-- FRAMES_PER_KIND]
//! ```
//!
//! Prints a Markdown table: per size and kind of damage, the codes each decoder read correctly and the time
//! per frame. Twofold's time is `decode_luma` on the in-memory frame, as the camera calls it. zbar's is the
//! wall time of one `zbarimg` process reading every PNG of that row, divided by the frame count (so its
//! process start is spread over the row, and it also pays PNG decoding); only zbar's QR reader is enabled.
//! The closing lines check the targets: Twofold reads at least as many codes as zbar in every row, and its
//! mean and worst time per 1280×720 frame stay under 33 ms. Exits 1 when a target is missed.

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
    zbar_per_frame: Option<Duration>,
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
    for sample in &samples {
        let start = Instant::now();
        let found = twofold_core::qr::decode_luma(sample.width, sample.height, sample.width, &sample.pixels)
            .map_err(|e| e.to_string())?;
        let took = start.elapsed();
        total += took;
        worst = worst.max(took);
        ours += sample.expected.iter().filter(|e| found.iter().any(|f| f.as_str() == e.as_str())).count();
    }
    let (zbar_found, zbar_time) = if zbar {
        let paths: Vec<PathBuf> = samples
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let path = dir.join(format!("{}-{}x{}-{i}.png", damage.name(), size.0, size.1));
                qr_corpus::write_png(s, &path).map(|()| path)
            })
            .collect::<Result<_, _>>()?;
        let (found, took) = run_zbar(&paths, &samples)?;
        (Some(found), Some(took / frames as u32))
    } else {
        (None, None)
    };
    Ok(Row {
        size,
        damage,
        codes,
        ours,
        zbar: zbar_found,
        ours_mean: total / frames as u32,
        ours_max: worst,
        zbar_per_frame: zbar_time,
    })
}

/// Runs one `zbarimg --xml` over every file and counts, per file, the expected payloads it printed.
fn run_zbar(paths: &[PathBuf], samples: &[Sample]) -> Result<(usize, Duration), String> {
    let start = Instant::now();
    let output = Command::new("zbarimg")
        .args(["--quiet", "--xml", "-Sdisable", "-Sqrcode.enable"])
        .args(paths)
        .output()
        .map_err(|e| format!("zbarimg: {e}"))?;
    let took = start.elapsed();
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
    Ok((found, took))
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn print_table(rows: &[Row], frames: usize) {
    println!("QR decoding, Twofold (rqrr + extra passes) vs zbarimg, {frames} generated frames per row");
    println!();
    println!("| size | damage | codes | Twofold read | zbar read | Twofold ms/frame (mean / max) | zbar ms/frame |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {}×{} | {} | {} | {} | {} | {} / {} | {} |",
            r.size.0,
            r.size.1,
            r.damage.name(),
            r.codes,
            r.ours,
            r.zbar.map_or("-".into(), |z| z.to_string()),
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
    let mean = hd.iter().map(|r| r.ours_mean).sum::<Duration>() / hd.len().max(1) as u32;
    let worst_mean = hd.iter().map(|r| r.ours_mean).max().unwrap_or_default();
    let worst = hd.iter().map(|r| r.ours_max).max().unwrap_or_default();
    println!(
        "1280×720: Twofold mean {} ms/frame over all kinds, slowest kind {} ms/frame on average, slowest frame {} ms (budget {} ms)",
        ms(mean),
        ms(worst_mean),
        ms(worst),
        FRAME_BUDGET.as_millis()
    );
    if worst_mean >= FRAME_BUDGET {
        println!("MISSED: a kind of 1280×720 frame takes {} ms on average, over the frame budget", ms(worst_mean));
        ok = false;
    }
    println!("{}", if ok { "targets met" } else { "targets missed" });
    ok
}
