//! Adapter and device selection, shared by the window, headless rendering and the tests.

use std::sync::Arc;
use std::time::Duration;

/// Every blocking wait on the GPU is bounded by this; lavapipe at large sizes is slow but not
/// this slow, so hitting it means the device is lost or hung.
pub const GPU_WAIT_TIMEOUT: Duration = Duration::from_secs(120);

/// Samples per pixel where multisampling is on (shaders/resolve.wgsl averages this many).
pub const MSAA_SAMPLES: u32 = 4;

#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error(
        "no GPU adapter found{backends}. Install a Vulkan driver (on Debian/Ubuntu: \
         `apt-get install mesa-vulkan-drivers`, which includes Mesa's lavapipe CPU renderer), \
         or choose another backend with WGPU_BACKEND=vulkan|gl|metal|dx12"
    )]
    NoAdapter { backends: String },
    #[error("WGPU_ADAPTER_NAME={wanted:?} matches none of the adapters found: {available}")]
    NoAdapterNamed { wanted: String, available: String },
    #[error("cannot draw into the window: {0}")]
    Surface(#[from] wgpu::CreateSurfaceError),
    #[error("the GPU device could not be created on {adapter}: {error}")]
    Device {
        adapter: String,
        error: wgpu::RequestDeviceError,
    },
}

/// Vulkan manifests (by file name) of drivers that drive a GPU through a DRM render node:
/// Mesa's and AMD's. NVIDIA's, lavapipe's and Windows' (dzn) do not need one.
const RENDER_NODE_DRIVERS: &str = "*intel*,*radeon*,*nouveau*,*freedreno*,*panfrost*,\
     *broadcom*,*asahi*,*virtio*,*powervr*,amd_icd*";

/// Variables that the Vulkan loader and Mesa's layers read, for `main` to set before any
/// thread exists.
pub fn loader_environment() -> Vec<(&'static str, &'static str)> {
    let mut settings = Vec::new();
    // Mesa's device-select layer opens a Wayland connection while listing GPUs, and libwayland
    // prints an error when XDG_RUNTIME_DIR is unset (headless servers, CI). Adapters are
    // ranked here anyway, so the layer is not needed then.
    if std::env::var_os("XDG_RUNTIME_DIR").is_none() {
        settings.push(("NODEVICE_SELECT", "1"));
    }
    // The loader loads every installed driver to ask it for devices. Without a render node,
    // GPU drivers that need one have none to offer, and loading them costs a CPU-only
    // machine 15-30 ms of linking at every start. The user's own choice of drivers wins.
    let chosen = [
        "VK_LOADER_DRIVERS_SELECT",
        "VK_LOADER_DRIVERS_DISABLE",
        "VK_DRIVER_FILES",
        "VK_ICD_FILENAMES",
        "VK_ADD_DRIVER_FILES",
    ]
    .iter()
    .any(|name| std::env::var_os(name).is_some());
    if !chosen && !has_render_node() {
        settings.push(("VK_LOADER_DRIVERS_DISABLE", RENDER_NODE_DRIVERS));
    }
    settings
}

fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// One adapter, device and queue.
#[derive(Clone)]
pub struct Gpu {
    pub instance: wgpu::Instance,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
}

/// Preference order: a real GPU first, the CPU renderer last.
fn type_rank(device_type: wgpu::DeviceType) -> u8 {
    match device_type {
        wgpu::DeviceType::DiscreteGpu => 0,
        wgpu::DeviceType::IntegratedGpu => 1,
        wgpu::DeviceType::VirtualGpu => 2,
        wgpu::DeviceType::Other => 3,
        wgpu::DeviceType::Cpu => 4,
    }
}

/// A one-line description of an adapter for logs, errors and the benchmark.
pub fn describe(info: &wgpu::AdapterInfo) -> String {
    format!(
        "{} ({:?}, {:?}, driver {} {})",
        info.name, info.device_type, info.backend, info.driver, info.driver_info
    )
    .replace(" )", ")")
}

impl Gpu {
    /// An instance on `backends` with `descriptor`'s other settings. wgpu's validation of
    /// indirect calls is left off: gradscape makes none, and the compute pipelines that
    /// validation builds at device creation cost every start 10 ms of CPU on lavapipe.
    pub fn instance(
        backends: wgpu::Backends,
        descriptor: wgpu::InstanceDescriptor,
    ) -> wgpu::Instance {
        let mut flags = descriptor.flags;
        flags.remove(wgpu::InstanceFlags::VALIDATION_INDIRECT_CALL);
        wgpu::Instance::new(wgpu::InstanceDescriptor {
            backends,
            flags,
            ..descriptor
        })
    }

    /// An instance for rendering without any window: it never touches a display server.
    pub fn headless_instance(backends: wgpu::Backends) -> wgpu::Instance {
        Gpu::instance(
            backends,
            wgpu::InstanceDescriptor::new_without_display_handle_from_env(),
        )
    }

    /// A device on the best adapter that can present to `surface` (when given): discrete over
    /// integrated over CPU. `WGPU_BACKEND` (read by the instance) and `WGPU_ADAPTER_NAME` (a
    /// case-insensitive substring) narrow the choice.
    pub async fn new(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
    ) -> Result<Gpu, GpuError> {
        let mut adapters: Vec<wgpu::Adapter> = instance
            .enumerate_adapters(wgpu::Backends::all())
            .await
            .into_iter()
            .filter(|adapter| surface.is_none_or(|s| adapter.is_surface_supported(s)))
            .collect();
        if adapters.is_empty() {
            let backends = std::env::var("WGPU_BACKEND")
                .map(|named| format!(" for WGPU_BACKEND={named}"))
                .unwrap_or_default();
            return Err(GpuError::NoAdapter { backends });
        }
        if let Ok(wanted) = std::env::var("WGPU_ADAPTER_NAME") {
            let needle = wanted.to_lowercase();
            let available = adapters
                .iter()
                .map(|a| a.get_info().name)
                .collect::<Vec<_>>()
                .join(", ");
            adapters.retain(|a| a.get_info().name.to_lowercase().contains(&needle));
            if adapters.is_empty() {
                return Err(GpuError::NoAdapterNamed { wanted, available });
            }
        }
        adapters.sort_by_key(|a| type_rank(a.get_info().device_type));
        let adapter = adapters.swap_remove(0);
        log::info!("adapter: {}", describe(&adapter.get_info()));

        let adapter_limits = adapter.limits();
        // A device only gets the limits it asks for: take the adapter's texture sizes and
        // buffer sizes, so grids and screenshots can be as large as the hardware allows.
        let required_limits = wgpu::Limits {
            max_storage_buffer_binding_size: adapter_limits.max_storage_buffer_binding_size,
            max_buffer_size: adapter_limits.max_buffer_size,
            ..wgpu::Limits::default().using_resolution(adapter_limits)
        };
        // Timestamps for the benchmark; subgroup operations for the field's range reduction.
        let optional = wgpu::Features::TIMESTAMP_QUERY | wgpu::Features::SUBGROUP;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("gradscape::device"),
                required_features: adapter.features() & optional,
                required_limits,
                experimental_features: wgpu::ExperimentalFeatures::disabled(),
                memory_hints: wgpu::MemoryHints::Performance,
                trace: wgpu::Trace::Off,
            })
            .await
            .map_err(|error| GpuError::Device {
                adapter: describe(&adapter.get_info()),
                error,
            })?;
        // The default handler panics; a validation error must cost at most one frame.
        device.on_uncaptured_error(Arc::new(|error| log::error!("GPU error: {error}")));
        Ok(Gpu {
            instance,
            adapter,
            device,
            queue,
        })
    }

    /// Runs `attempt` with Vulkan/Metal/DX12 and, if it finds no adapter there, with OpenGL
    /// (second, because merely initialising EGL on a machine without a GL driver prints
    /// errors); only the backends `WGPU_BACKEND` names when it is set.
    pub fn with_fallback<T>(
        mut attempt: impl FnMut(wgpu::Backends) -> Result<T, GpuError>,
    ) -> Result<T, GpuError> {
        let named = wgpu::Backends::from_env();
        let preferred = named.unwrap_or(wgpu::Backends::PRIMARY);
        match attempt(preferred) {
            Err(GpuError::NoAdapter { .. })
                if named.is_none() && !preferred.contains(wgpu::Backends::GL) =>
            {
                attempt(wgpu::Backends::GL)
            }
            result => result,
        }
    }

    /// A device for headless work (`render`, `field`, `bench`, tests).
    pub fn headless() -> Result<Gpu, GpuError> {
        Gpu::with_fallback(|backends| {
            pollster::block_on(Gpu::new(Gpu::headless_instance(backends), None))
        })
    }

    pub fn describe(&self) -> String {
        describe(&self.adapter.get_info())
    }

    /// Whether this is a CPU rasteriser (lavapipe): it gets a coarser mesh, drops
    /// multisampling while the camera moves, and its timestamps mean nothing.
    pub fn is_cpu(&self) -> bool {
        self.adapter.get_info().device_type == wgpu::DeviceType::Cpu
    }

    /// MSAA sample count for a render target format: [`MSAA_SAMPLES`] where supported, else
    /// none.
    pub fn sample_count(&self, format: wgpu::TextureFormat) -> u32 {
        let flags = self.adapter.get_texture_format_features(format).flags;
        if flags.sample_count_supported(MSAA_SAMPLES) {
            MSAA_SAMPLES
        } else {
            1
        }
    }

    /// Blocks until the queue has finished `submission`, bounded by [`GPU_WAIT_TIMEOUT`].
    pub fn wait(&self, submission: wgpu::SubmissionIndex) -> Result<(), wgpu::PollError> {
        self.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(submission),
                timeout: Some(GPU_WAIT_TIMEOUT),
            })
            .map(drop)
    }
}
