//! Twofold's QR decoder against `zbarimg` (Debian `zbar-tools`, the decoder OTPClient uses), side by side in
//! one run on the same generated corpus of hard frames at 640×480 and 1280×720.
//!
//! ```text
//! cargo run --release -p twofold-tests --bin qr_bench [-- FRAMES_PER_KIND [KIND…]]
//! ```
//!
//! Naming kinds (`keystone-18 dense`) runs only those rows, and then the frames Twofold misses are
//! written as PNGs to the temporary folder and named on stderr, to look at.
//!
//! Prints a Markdown table: per size and kind of damage, the codes each decoder read correctly and the time
//! per frame. Twofold's time is `decode_luma` on the in-memory frame, as the camera calls it. zbar's is one
//! `zbarimg` process reading every PNG of that row, divided by the frame count (so its process start is
//! spread over the row, and it also pays PNG decoding); only zbar's QR reader is enabled.
//!
//! Both wall time and CPU time are shown: on a shared machine the wall time includes waiting for a core,
//! the CPU time is the work itself. Twofold's CPU time is measured per frame (the thread's CPU
//! clock, `CLOCK_THREAD_CPUTIME_ID`) and shown as the median and the worst frame of the row;
//! zbar's is `/usr/bin/time` over the whole row (10 ms ticks) divided by the frames. The closing lines check
//! the targets: Twofold reads at least as many codes as zbar in every row, and in every kind of 1280×720
//! frame both the median and the worst frame take under 33 ms of CPU (wall time when CPU time is
//! unavailable). Exits 1 when a target is missed.

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
    /// Per-frame CPU time (wall time where the kernel does not say), median and worst.
    ours_cpu_median: Duration,
    ours_cpu_max: Duration,
    cpu_measured: bool,
    zbar_per_frame: Option<Duration>,
    zbar_cpu: Option<Duration>,
}

/// CPU time used so far by the calling thread (the kernel's per-thread CPU clock).
fn thread_cpu() -> Option<Duration> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Some(Duration::new(u64::try_from(t.tv_sec).ok()?, u32::try_from(t.tv_nsec).ok()?))
}

fn main() -> ExitCode {
    let frames: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(12);
    let only: Vec<String> = std::env::args().skip(2).collect();
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
            if !only.is_empty() && !only.iter().any(|k| k == damage.name()) {
                continue;
            }
            match bench_row(size, damage, frames, &dir, zbar_available, !only.is_empty()) {
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
    if only.is_empty() {
        camera_lines();
    }
    if verdict(&rows) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn bench_row(
    size: (usize, usize),
    damage: Damage,
    frames: usize,
    dir: &Path,
    zbar: bool,
    show_misses: bool,
) -> Result<Row, String> {
    let samples: Vec<Sample> =
        (0..frames).map(|seed| qr_corpus::sample(damage, size.0, size.1, seed as u64)).collect::<Result<_, _>>()?;
    let codes = samples.iter().map(|s| s.expected.len()).sum();
    let mut ours = 0;
    let mut total = Duration::ZERO;
    let mut worst = Duration::ZERO;
    let mut cpu = Vec::with_capacity(frames);
    let mut cpu_measured = true;
    for (seed, sample) in samples.iter().enumerate() {
        let cpu_start = thread_cpu();
        let start = Instant::now();
        let found = twofold_core::qr::decode_luma(sample.width, sample.height, sample.width, &sample.pixels)
            .map_err(|e| e.to_string())?;
        let took = start.elapsed();
        match (cpu_start, thread_cpu()) {
            (Some(a), Some(b)) => cpu.push(b.saturating_sub(a)),
            _ => {
                cpu_measured = false;
                cpu.push(took);
            }
        }
        total += took;
        worst = worst.max(took);
        let read = sample.expected.iter().filter(|e| found.iter().any(|f| f.as_str() == e.as_str())).count();
        if show_misses && read < sample.expected.len() {
            let path =
                std::env::temp_dir().join(format!("qr-missed-{}-{}x{}-{seed}.png", damage.name(), size.0, size.1));
            let saved = qr_corpus::write_png(sample, &path).map_or_else(|e| e, |()| path.display().to_string());
            eprintln!("missed: {} {}×{} seed {seed} ({} ms): {saved}", damage.name(), size.0, size.1, ms(took));
        }
        ours += read;
    }
    cpu.sort();
    let ours_cpu_median = cpu.get(cpu.len() / 2).copied().unwrap_or_default();
    let ours_cpu_max = cpu.last().copied().unwrap_or_default();
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
        ours_cpu_median,
        ours_cpu_max,
        cpu_measured,
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
        "| size | damage | codes | Twofold read | zbar read | Twofold CPU ms/frame (median / worst) | zbar CPU ms/frame | Twofold wall ms/frame (mean / max) | zbar wall ms/frame |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {}×{} | {} | {} | {} | {} | {} / {} | {} | {} / {} | {} |",
            r.size.0,
            r.size.1,
            r.damage.name(),
            r.codes,
            r.ours,
            r.zbar.map_or("-".into(), |z| z.to_string()),
            ms(r.ours_cpu_median),
            ms(r.ours_cpu_max),
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
    let kind = if hd.iter().all(|r| r.cpu_measured) { "CPU" } else { "wall" };
    let worst_median = hd.iter().map(|r| r.ours_cpu_median).max().unwrap_or_default();
    let worst_frame = hd.iter().map(|r| r.ours_cpu_max).max().unwrap_or_default();
    println!(
        "1280×720: Twofold {kind} time per frame: slowest kind's median {} ms, slowest frame {} ms (budget {} ms)",
        ms(worst_median),
        ms(worst_frame),
        FRAME_BUDGET.as_millis(),
    );
    for r in &hd {
        if r.ours_cpu_max >= FRAME_BUDGET {
            println!(
                "MISSED: {} at 1280×720: median {} ms, worst frame {} ms, over the frame budget",
                r.damage.name(),
                ms(r.ours_cpu_median),
                ms(r.ours_cpu_max)
            );
            ok = false;
        }
    }
    println!("{}", if ok { "targets met" } else { "targets missed" });
    ok
}

/// The camera's conversion of a 1280×720 webcam buffer, per frame (median of 30): luma for the decoder
/// straight from the Y plane against the RGB round trip the camera crate did before issue 17 (every pixel
/// to RGB, then back to luma), and the whole capture step with the preview JPEG.
fn camera_lines() {
    use twofold_camera::{Buffer, FrameFormat, Resolution, convert_buffer};
    let (w, h) = (1280usize, 720usize);
    let mut rng = qr_corpus::Rng::new(3);
    let luma = qr_corpus::background(w, h, &mut rng);
    let yuyv: Vec<u8> = luma.chunks_exact(2).flat_map(|p| [p[0], 110, p[1], 150]).collect();
    let mut nv12 = luma.clone();
    nv12.extend((0..w * h / 2).map(|i| if i % 2 == 0 { 110 } else { 150 }));
    let resolution = Resolution::new(w as u32, h as u32);
    println!("Camera conversion of one 1280×720 buffer (CPU ms, median of 30):");
    println!();
    println!("| format | luma: Y plane | luma: RGB round trip (before) | capture step with preview: now | before |");
    println!("|---|---:|---:|---:|---:|");
    for (name, format, data) in [("YUYV", FrameFormat::YUYV, &yuyv), ("NV12", FrameFormat::NV12, &nv12)] {
        let buffer = Buffer::new(resolution, data, format);
        let now = median(|| {
            std::hint::black_box(convert_buffer(&buffer).map(|f| f.luma().len()).ok());
        });
        let before = median(|| {
            std::hint::black_box(rgb_round_trip(format, data, w, h).1.len());
        });
        let step_now = median(|| {
            if let Ok(frame) = convert_buffer(&buffer) {
                std::hint::black_box(frame.preview(1).map(|p| p.jpeg.len()).ok());
            }
        });
        let step_before = median(|| {
            let (rgb, luma) = rgb_round_trip(format, data, w, h);
            std::hint::black_box((luma.len(), preview_from_rgb(&rgb, w, h)));
        });
        println!("| {name} | {} | {} | {} | {} |", ms(now), ms(before), ms(step_now), ms(step_before));
    }
    println!();
}

/// The median CPU time (wall time where the kernel does not say) of 30 runs of `f`.
fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let cpu = thread_cpu();
            let start = Instant::now();
            f();
            match (cpu, thread_cpu()) {
                (Some(a), Some(b)) => b.saturating_sub(a),
                _ => start.elapsed(),
            }
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// BT.601 limited-range YCbCr to RGB, as `twofold-camera` had it.
fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = 298 * (i32::from(y) - 16);
    let d = i32::from(u) - 128;
    let e = i32::from(v) - 128;
    let clamp = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
    [clamp(c + 409 * e), clamp(c - 100 * d - 208 * e), clamp(c + 516 * d)]
}

/// The camera crate's conversion before issue 17: the whole frame to RGB, then luma from the RGB.
fn rgb_round_trip(format: twofold_camera::FrameFormat, data: &[u8], w: usize, h: usize) -> (Vec<u8>, Vec<u8>) {
    let mut rgb = Vec::with_capacity(w * h * 3);
    if format == twofold_camera::FrameFormat::YUYV {
        for quad in data[..w * h * 2].chunks_exact(4) {
            rgb.extend_from_slice(&yuv_to_rgb(quad[0], quad[1], quad[3]));
            rgb.extend_from_slice(&yuv_to_rgb(quad[2], quad[1], quad[3]));
        }
    } else {
        let (y, uv) = data.split_at(w * h);
        for row in 0..h {
            for col in 0..w {
                let ci = (row / 2) * w.div_ceil(2) * 2 + (col / 2) * 2;
                rgb.extend_from_slice(&yuv_to_rgb(y[row * w + col], uv[ci], uv[ci + 1]));
            }
        }
    }
    let luma = rgb
        .chunks_exact(3)
        .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8)
        .collect();
    (rgb, luma)
}

/// The preview as it was made from full-size RGB: halved by a 2×2 box, JPEG at quality 70.
fn preview_from_rgb(rgb: &[u8], w: usize, h: usize) -> usize {
    use image::ImageEncoder as _;
    let (hw, hh) = (w / 2, h / 2);
    let mut half = Vec::with_capacity(hw * hh * 3);
    for y in 0..hh {
        for x in 0..hw {
            for c in 0..3 {
                let at = |dx: usize, dy: usize| u16::from(rgb[((2 * y + dy) * w + 2 * x + dx) * 3 + c]);
                half.push(((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4) as u8);
            }
        }
    }
    let mut jpeg = Vec::new();
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 70).write_image(
        &half,
        hw as u32,
        hh as u32,
        image::ExtendedColorType::Rgb8,
    );
    jpeg.len()
}
