//! Real webcams through `nokhwa` (V4L2 on Linux, Media Foundation on Windows, AVFoundation on macOS).
//!
//! Frames are taken raw and converted here (MJPEG through `image`'s pure-Rust JPEG decoder, YUYV, NV12, grey,
//! RGB, BGR), so nokhwa's own MJPEG decoder (mozjpeg, a C build) is not needed.

use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType};

use crate::frame::{Frame, yuv_to_rgb};
use crate::{CameraError, CameraId, CameraInfo};

pub(crate) struct NativeCamera {
    camera: nokhwa::Camera,
}

pub(crate) fn list() -> Vec<CameraInfo> {
    // No device, no permission to list, or no backend: all mean "no camera" to the person at the dialog.
    nokhwa::query(ApiBackend::Auto)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|info| match info.index() {
            CameraIndex::Index(i) => Some(CameraInfo { id: CameraId::Device(*i), name: info.human_name() }),
            CameraIndex::String(_) => None,
        })
        .collect()
}

/// Turns nokhwa's message-only errors into the cases the UI tells apart.
fn classify(index: u32, message: String) -> CameraError {
    let lower = message.to_lowercase();
    if lower.contains("busy") || lower.contains("os error 16") {
        CameraError::Busy { camera: format!("device {index}") }
    } else if lower.contains("permission denied") || lower.contains("os error 13") {
        CameraError::PermissionDenied { camera: format!("device {index}") }
    } else if lower.contains("no such file") || lower.contains("os error 2") || lower.contains("no such device") {
        CameraError::NoCamera
    } else {
        CameraError::Device { camera: format!("device {index}"), reason: message }
    }
}

impl NativeCamera {
    pub fn open(index: u32, size: (u32, u32)) -> Result<Self, CameraError> {
        #[cfg(target_os = "linux")]
        {
            // nokhwa reports every open failure as text; the device node tells the cases apart reliably.
            let node = format!("/dev/video{index}");
            if let Err(e) = std::fs::OpenOptions::new().read(true).write(true).open(&node) {
                return Err(match e.kind() {
                    std::io::ErrorKind::NotFound => CameraError::NoCamera,
                    std::io::ErrorKind::PermissionDenied => CameraError::PermissionDenied { camera: node },
                    _ => classify(index, e.to_string()),
                });
            }
        }
        let wanted = [FrameFormat::MJPEG, FrameFormat::YUYV];
        let mut last_error = None;
        for format in wanted {
            let request = RequestedFormat::new::<RgbFormat>(RequestedFormatType::Closest(CameraFormat::new_from(
                size.0, size.1, format, 30,
            )));
            match nokhwa::Camera::new(CameraIndex::Index(index), request) {
                Ok(mut camera) => {
                    camera.open_stream().map_err(|e| classify(index, e.to_string()))?;
                    return Ok(Self { camera });
                }
                Err(e) => last_error = Some(e.to_string()),
            }
        }
        let request = RequestedFormat::new::<RgbFormat>(RequestedFormatType::AbsoluteHighestFrameRate);
        match nokhwa::Camera::new(CameraIndex::Index(index), request) {
            Ok(mut camera) => {
                camera.open_stream().map_err(|e| classify(index, e.to_string()))?;
                Ok(Self { camera })
            }
            Err(e) => Err(classify(index, last_error.unwrap_or_else(|| e.to_string()))),
        }
    }

    pub fn next_frame(&mut self) -> Result<Frame, CameraError> {
        let index = self.camera.index().as_index().unwrap_or(0);
        let buffer = self.camera.frame().map_err(|e| classify(index, e.to_string()))?;
        let resolution = buffer.resolution();
        let (w, h) = (resolution.width() as usize, resolution.height() as usize);
        let data = buffer.buffer();
        let short = || CameraError::Device {
            camera: format!("device {index}"),
            reason: format!("frame of {} bytes is too short for {w}×{h}", data.len()),
        };
        match buffer.source_frame_format() {
            FrameFormat::MJPEG => {
                let image = image::load_from_memory_with_format(data, image::ImageFormat::Jpeg)
                    .map_err(|e| CameraError::Device { camera: format!("device {index}"), reason: e.to_string() })?
                    .into_rgb8();
                let (w, h) = (image.width() as usize, image.height() as usize);
                Ok(Frame::from_rgb(w, h, image.into_raw()))
            }
            FrameFormat::YUYV => {
                if data.len() < w * h * 2 {
                    return Err(short());
                }
                let mut rgb = Vec::with_capacity(w * h * 3);
                for quad in data[..w * h * 2].chunks_exact(4) {
                    rgb.extend_from_slice(&yuv_to_rgb(quad[0], quad[1], quad[3]));
                    rgb.extend_from_slice(&yuv_to_rgb(quad[2], quad[1], quad[3]));
                }
                Ok(Frame::from_rgb(w, h, rgb))
            }
            FrameFormat::NV12 => {
                let chroma = w.div_ceil(2) * 2 * h.div_ceil(2);
                if data.len() < w * h + chroma {
                    return Err(short());
                }
                let (y, uv) = data.split_at(w * h);
                let mut rgb = Vec::with_capacity(w * h * 3);
                for row in 0..h {
                    for col in 0..w {
                        let ci = (row / 2) * w.div_ceil(2) * 2 + (col / 2) * 2;
                        rgb.extend_from_slice(&yuv_to_rgb(y[row * w + col], uv[ci], uv[ci + 1]));
                    }
                }
                Ok(Frame::from_rgb(w, h, rgb))
            }
            FrameFormat::GRAY => {
                if data.len() < w * h {
                    return Err(short());
                }
                Ok(Frame::from_luma(w, h, data[..w * h].to_vec()))
            }
            FrameFormat::RAWRGB => {
                if data.len() < w * h * 3 {
                    return Err(short());
                }
                Ok(Frame::from_rgb(w, h, data[..w * h * 3].to_vec()))
            }
            FrameFormat::RAWBGR => {
                if data.len() < w * h * 3 {
                    return Err(short());
                }
                let rgb = data[..w * h * 3].chunks_exact(3).flat_map(|p| [p[2], p[1], p[0]]).collect();
                Ok(Frame::from_rgb(w, h, rgb))
            }
        }
    }
}

impl Drop for NativeCamera {
    fn drop(&mut self) {
        // Dropping the device also stops it; stopping the stream first turns the light off at once.
        let _ = self.camera.stop_stream();
    }
}
