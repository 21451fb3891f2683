//! Where a cache's last good catalogue lives besides memory: the
//! [`CatalogueStore`] seam, and [`FileStore`], its implementation on disk.

use std::fmt;
use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use netverify_api::Operation;

use crate::catalogue::Catalogue;

/// What a [`CatalogueStore`] call returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Where the last good catalogue of a [`CachedCatalogue`](crate::CachedCatalogue) lives, so that it
/// outlives the process ([`FileStore`]) or is shared by the replicas of a
/// service (`netverify-redis`'s `RedisStore`); set with
/// [`CachedCatalogueBuilder::store`](crate::CachedCatalogueBuilder::store).
///
/// The contract:
/// * **Newer** means a later [`Catalogue::timestamp`]: the time Jumio gave
///   the response. A store never replaces a catalogue with one that is not
///   newer, even when two savers race (a shared store compares and sets
///   atomically).
/// * A store holds one catalogue per list ([`Operation`]) and gives back
///   only catalogues of that list. Content it cannot read (corrupt, another
///   list) is logged as a warning and loaded as `None`; it is replaced by
///   the next good catalogue saved.
/// * Only catalogues reach a store: never credentials.
/// * The cache bounds every call with its
///   [`store_timeout`](crate::CachedCatalogueBuilder::store_timeout), and treats a
///   failed or late call as "no store": it is logged, shown in
///   [`CacheStatus::store_error`](super::CacheStatus::store_error), and the
///   cache fetches from Jumio itself. A warm `get` never calls the store.
///
/// ```
/// use std::sync::Arc;
/// use netverify::{Catalogue, CatalogueStore, Operation, StoreFuture};
///
/// /// A store for tests: one catalogue per list, in memory.
/// #[derive(Debug, Default)]
/// struct InMemory(std::sync::Mutex<Vec<(Operation, Arc<Catalogue>)>>);
///
/// impl CatalogueStore for InMemory {
///     fn load(&self, list: Operation) -> StoreFuture<'_, Option<Catalogue>> {
///         let stored = self.0.lock().unwrap().iter().find(|(l, _)| *l == list)
///             .map(|(_, catalogue)| Catalogue::clone(catalogue));
///         Box::pin(async move { Ok(stored) })
///     }
///
///     fn save(&self, list: Operation, catalogue: Arc<Catalogue>) -> StoreFuture<'_, ()> {
///         let mut stored = self.0.lock().unwrap();
///         match stored.iter_mut().find(|(l, _)| *l == list) {
///             Some((_, old)) if old.timestamp() >= catalogue.timestamp() => {}
///             Some((_, old)) => *old = catalogue,
///             None => stored.push((list, catalogue)),
///         }
///         Box::pin(async { Ok(()) })
///     }
/// }
/// ```
///
/// [`CachedCatalogue`]: super::CachedCatalogue
/// [`CachedCatalogueBuilder::store`]: super::CachedCatalogueBuilder::store
pub trait CatalogueStore: fmt::Debug + Send + Sync + 'static {
    /// The newest stored catalogue of `list`; `None` when there is none, or
    /// none that can be read.
    fn load(&self, list: Operation) -> StoreFuture<'_, Option<Catalogue>>;

    /// Stores `catalogue` as `list`'s, unless the store holds a catalogue of
    /// `list` that is as new or newer.
    fn save(&self, list: Operation, catalogue: Arc<Catalogue>) -> StoreFuture<'_, ()>;

    /// Asks for the right to refresh `list` from Jumio for up to `period`
    /// (the cache's TTL): `true` for at most one holder at a time among all
    /// that share the store, and again for the holder that has it. A save by
    /// the holder may end it early. The cache asks only when the store had
    /// no catalogue within its TTL; refused while it has a catalogue to
    /// serve, it serves that and looks at the store again after
    /// [`store_poll`](crate::CachedCatalogueBuilder::store_poll).
    /// The default, for a store of one process, always grants it.
    fn lease(&self, list: Operation, period: std::time::Duration) -> StoreFuture<'_, bool> {
        let _ = (list, period);
        Box::pin(async { Ok(true) })
    }

    /// The stored catalogue of `list` if it can be read at once, without a
    /// runtime: called when the cache is built, so that a service restarted
    /// while Jumio is down answers from its first `get`. The default, for a
    /// store on the network, is `None`: it is read at the first refresh.
    fn load_at_start(&self, list: Operation) -> Option<Catalogue> {
        let _ = list;
        None
    }
}

/// A failed [`CatalogueStore`] call: what went wrong, in words.
///
/// ```
/// let error = netverify::StoreError::new("connection refused");
/// assert_eq!(error.to_string(), "connection refused");
/// ```
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    message: Arc<str>,
}

impl StoreError {
    /// An error with this message (never put credentials in it).
    pub fn new(message: impl fmt::Display) -> Self {
        StoreError {
            message: message.to_string().into(),
        }
    }
}

/// The last good catalogue in a file, in the API's JSON shape
/// ([`Catalogue::from_json`] reads it): read when the cache is built (its age
/// counted from its `timestamp`) and rewritten atomically after each good
/// refresh (a temporary file in the same directory, fsync, rename). For one
/// process: [`CachedCatalogueBuilder::persist_to`](super::CachedCatalogueBuilder::persist_to)
/// is the same as `.store(FileStore::new(path))`.
///
/// ```
/// let store = netverify::FileStore::new("/var/lib/acme/supported.json");
/// assert_eq!(store.path(), std::path::Path::new("/var/lib/acme/supported.json"));
/// ```
#[derive(Clone, Debug)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    /// A store in the file at `path` (created at the first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileStore { path: path.into() }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl CatalogueStore for FileStore {
    fn load(&self, list: Operation) -> StoreFuture<'_, Option<Catalogue>> {
        let path = self.path.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || read(&path, list, true))
                .await
                .map_err(StoreError::new)
        })
    }

    fn save(&self, list: Operation, catalogue: Arc<Catalogue>) -> StoreFuture<'_, ()> {
        let path = self.path.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                match read(&path, list, false) {
                    Some(stored) if stored.timestamp() >= catalogue.timestamp() => Ok(()),
                    _ => write(&path, &catalogue),
                }
                .map_err(|error| {
                    StoreError::new(format_args!(
                        "cannot write {}: {error}; the previous file, if any, is unchanged",
                        path.display()
                    ))
                })
            })
            .await
            .map_err(StoreError::new)?
        })
    }

    fn load_at_start(&self, list: Operation) -> Option<Catalogue> {
        read(&self.path, list, true)
    }
}

/// The catalogue in the file; `None`, with a warning (when `warn`) unless
/// the file is simply missing, when it cannot be used.
fn read(path: &Path, list: Operation, warn: bool) -> Option<Catalogue> {
    let ignore = |problem: &str| {
        if warn {
            tracing::warn!(
                list = list.operation_id(),
                path = %path.display(),
                problem,
                "ignoring the persisted catalogue; it will be replaced by the next good one"
            );
        }
        None
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => return ignore(&format!("cannot read it: {error}")),
    };
    match Catalogue::from_json(&bytes) {
        Ok(catalogue) if !list.list_keys().contains(&catalogue.list_key()) => ignore(&format!(
            "it holds `{}`, and this cache is for {list}",
            catalogue.list_key().as_str()
        )),
        // A file of 0.2 may hold the accepted list under supportedIdTypes.
        Ok(catalogue) => Some(catalogue.with_endpoint(list)),
        Err(error) => ignore(&format!("it does not decode: {error}")),
    }
}

/// Writes `catalogue` to `path` so that the file is, at every moment, the old
/// content or the new one (tempfile's `persist`: a temporary file beside the
/// target, synced, renamed over it, then the directory synced). The bytes
/// are checked to load back equal before anything is renamed.
fn write(path: &Path, catalogue: &Catalogue) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(catalogue).map_err(std::io::Error::other)?;
    if Catalogue::from_json(&bytes).ok().as_ref() != Some(catalogue) {
        return Err(std::io::Error::other(
            "the serialized catalogue does not load back equal; not written",
        ));
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(directory)?;
    file.write_all(&bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    // The rename is durable once the directory is synced (Unix; elsewhere a
    // directory cannot be opened, and the rename is as durable as it gets).
    if let Ok(directory) = std::fs::File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}
