//! Real webcams through `nokhwa` (V4L2 on Linux, Media Foundation on Windows, AVFoundation on macOS).
//!
//! Frames are taken raw and converted here (MJPEG through `image`'s pure-Rust JPEG decoder, YUYV, NV12, grey,
//! RGB, BGR), so nokhwa's own MJPEG decoder (mozjpeg, a C build) is not needed. [`convert`] is the one
//! conversion; the tests hand it buffers of each format built in memory.

use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType};

use crate::frame::{Chroma, Frame};
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
        convert(&buffer).map_err(|reason| CameraError::Device { camera: format!("device {index}"), reason })
    }
}

/// One camera buffer as the scan loop needs it (see [`crate::frame`]): MJPEG decoded by `image`, YUYV and
/// NV12 with their Y plane taken as the luma as it is, grey, RGB and BGR. The reason is for a
/// [`CameraError::Device`].
pub(crate) fn convert(buffer: &nokhwa::Buffer) -> Result<Frame, String> {
    let resolution = buffer.resolution();
    let (w, h) = (resolution.width() as usize, resolution.height() as usize);
    let data = buffer.buffer();
    if w == 0 || h == 0 {
        return Err(format!("frame of {w}×{h} is empty"));
    }
    let need = |len: usize| {
        if data.len() < len { Err(format!("frame of {} bytes is too short for {w}×{h}", data.len())) } else { Ok(()) }
    };
    match buffer.source_frame_format() {
        FrameFormat::MJPEG => {
            let image = image::load_from_memory_with_format(data, image::ImageFormat::Jpeg)
                .map_err(|e| e.to_string())?
                .into_rgb8();
            let (w, h) = (image.width() as usize, image.height() as usize);
            Ok(Frame::from_rgb(w, h, image.into_raw()))
        }
        FrameFormat::YUYV => {
            let stride = w.div_ceil(2) * 4;
            need(stride * h)?;
            let packed = &data[..stride * h];
            let mut luma = Vec::with_capacity(w * h);
            for row in packed.chunks_exact(stride) {
                // Every other byte is a Y sample: Y0 U Y1 V.
                luma.extend(row.iter().step_by(2).take(w));
            }
            Ok(Frame::from_yuv(w, h, luma, Chroma::Yuyv(packed.to_vec())))
        }
        FrameFormat::NV12 => {
            let chroma = w.div_ceil(2) * 2 * h.div_ceil(2);
            need(w * h + chroma)?;
            let (y, uv) = data.split_at(w * h);
            Ok(Frame::from_yuv(w, h, y.to_vec(), Chroma::Nv12(uv[..chroma].to_vec())))
        }
        FrameFormat::GRAY => {
            need(w * h)?;
            Ok(Frame::from_luma(w, h, data[..w * h].to_vec()))
        }
        FrameFormat::RAWRGB => {
            need(w * h * 3)?;
            Ok(Frame::from_rgb(w, h, data[..w * h * 3].to_vec()))
        }
        FrameFormat::RAWBGR => {
            need(w * h * 3)?;
            let rgb = data[..w * h * 3].chunks_exact(3).flat_map(|p| [p[2], p[1], p[0]]).collect();
            Ok(Frame::from_rgb(w, h, rgb))
        }
    }
}

impl Drop for NativeCamera {
    fn drop(&mut self) {
        // Dropping the device also stops it; stopping the stream first turns the light off at once.
        let _ = self.camera.stop_stream();
    }
}
