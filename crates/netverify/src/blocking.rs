//! A blocking client, for programs without an async runtime (cargo feature
//! `blocking`, off by default).
//!
//! [`Client`] mirrors the async [`crate::Client`]: the same configuration
//! (a [`ClientBuilder`], built with
//! [`build_blocking`](crate::ClientBuilder::build_blocking)), the same
//! methods without `.await`, the same errors. As reqwest's blocking client
//! does, it runs the async client on a Tokio runtime of its own, on one
//! background thread per client (clones share it); calls from several
//! threads at once run concurrently there.
//!
//! ```
//! // fn main(), no #[tokio::main]: the client brings its own runtime.
//! fn main() -> Result<(), netverify::Error> {
//! #   // The sandbox runs on a runtime of its own, as a server elsewhere would.
//! #   let runtime = tokio::runtime::Runtime::new().unwrap();
//! #   let sandbox = runtime.block_on(netverify_mock::MockServer::builder().start()).unwrap();
//! #   let base_url = sandbox.base_url();
//!     let client = netverify::Client::builder()
//!         .base_url(base_url) // in production: .region(netverify::Region::Eu)
//!         .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
//!         .user_agent("Acme KYC/1.0")
//!         .build_blocking()?;
//!     let supported = client.supported_id_types()?;
//!     println!("{} countries", supported.len());
//!     Ok(())
//! }
//! ```
//!
//! Called inside a Tokio runtime context (an async task, `block_on`, or
//! `spawn_blocking`, to which Tokio gives the same context), a call does not
//! block: it returns [`Error::Runtime`]. Async code should `.await` the async
//! client instead; it needs no extra thread.

use std::sync::Arc;
use std::sync::mpsc as std_mpsc;

use tokio::sync::mpsc;

use crate::builder::ClientBuilder;
use crate::catalogue::Catalogue;
use crate::config::Region;
use crate::error::Error;
use netverify_api::Operation;

/// A blocking client for the ID-document catalogue endpoints; see the
/// [module documentation](self).
///
/// Cheap to clone: clones share the runtime thread and the connection pool.
/// The thread ends when the last clone is dropped.
///
/// ```
/// let client: netverify::blocking::Client = netverify::Client::builder()
///     .credentials("token", "secret")
///     .user_agent("Acme KYC/1.0")
///     .build_blocking()?;
/// let for_another_thread = client.clone();
/// std::thread::spawn(move || drop(for_another_thread)).join().unwrap();
/// # Ok::<(), netverify::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Worker>,
}

#[derive(Debug)]
struct Worker {
    client: crate::Client,
    jobs: mpsc::UnboundedSender<Job>,
}

#[derive(Debug)]
struct Job {
    operation: Operation,
    reply: std_mpsc::SyncSender<Result<Catalogue, Error>>,
}

const IN_RUNTIME: &str = "netverify::blocking::Client was called inside a Tokio runtime \
    context, where waiting would block the runtime's thread: use the async netverify::Client \
    with .await there (spawn_blocking gets the same context, so it does not help)";

const WORKER_GONE: &str = "the runtime thread of netverify::blocking::Client has stopped \
    (a panic inside it); build a new client";

impl ClientBuilder {
    /// Checks the configuration as [`build`](Self::build) does and builds a
    /// [`blocking::Client`](Client), starting its runtime thread.
    ///
    /// ```
    /// let client = netverify::Client::builder()
    ///     .region(netverify::Region::Eu)
    ///     .credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .build_blocking()?;
    /// assert_eq!(client.region(), Some(netverify::Region::Eu));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn build_blocking(self) -> Result<Client, Error> {
        Client::from_async(self.build()?)
    }
}

impl Client {
    /// A blocking client from the environment; the same as
    /// `ClientBuilder::from_env()?.build_blocking()` (see
    /// [`ClientBuilder::from_env_with`] for the variables).
    ///
    /// ```no_run
    /// let client = netverify::blocking::Client::from_env()?;
    /// let accepted = client.accepted_id_types()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build_blocking()
    }

    /// Wraps an async client (sharing its connection pool and settings) and
    /// starts the runtime thread.
    ///
    /// ```
    /// let async_client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0").build()?;
    /// let client = netverify::blocking::Client::from_async(async_client)?;
    /// assert_eq!(client.base_url(), "https://netverify.com");
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn from_async(client: crate::Client) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| Error::Runtime {
                reason: format!("cannot start the blocking client's runtime: {error}"),
            })?;
        let (jobs, mut queue) = mpsc::unbounded_channel::<Job>();
        let worker_client = client.clone();
        std::thread::Builder::new()
            .name("netverify-blocking".into())
            .spawn(move || {
                runtime.block_on(async move {
                    while let Some(job) = queue.recv().await {
                        let client = worker_client.clone();
                        tokio::spawn(async move {
                            let outcome = client.call(job.operation).await;
                            // The caller may have gone; nothing to tell.
                            let _ = job.reply.send(outcome);
                        });
                    }
                });
            })
            .map_err(|error| Error::Runtime {
                reason: format!("cannot start the blocking client's thread: {error}"),
            })?;
        Ok(Client {
            inner: Arc::new(Worker { client, jobs }),
        })
    }

    /// Every ID document Jumio can verify; blocks until the answer (retries
    /// included) is there. See [`crate::Client::supported_id_types`].
    ///
    /// ```
    /// # let runtime = tokio::runtime::Runtime::new().unwrap();
    /// # let sandbox = runtime.block_on(netverify_mock::MockServer::builder().start()).unwrap();
    /// let client = netverify::Client::builder()
    ///     .base_url(sandbox.base_url())
    ///     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    ///     .user_agent("Acme KYC/1.0")
    ///     .build_blocking()?;
    /// let nld = netverify::CountryCode::new("NLD").unwrap();
    /// let supported = client.supported_id_types()?;
    /// assert!(supported.contains(nld, &netverify::IdType::Passport));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn supported_id_types(&self) -> Result<Catalogue, Error> {
        self.call(Operation::SupportedIdTypes)
    }

    /// The ID documents this account accepts; blocks until the answer
    /// (retries included) is there. See [`crate::Client::accepted_id_types`].
    ///
    /// ```
    /// # let runtime = tokio::runtime::Runtime::new().unwrap();
    /// # let sandbox = runtime.block_on(netverify_mock::MockServer::builder().start()).unwrap();
    /// let client = netverify::Client::builder()
    ///     .base_url(sandbox.base_url())
    ///     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    ///     .user_agent("Acme KYC/1.0")
    ///     .build_blocking()?;
    /// assert!(!client.accepted_id_types()?.is_empty());
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn accepted_id_types(&self) -> Result<Catalogue, Error> {
        self.call(Operation::AcceptedIdTypes)
    }

    /// The configured region; `None` for a custom base URL.
    ///
    /// ```
    /// let client = netverify::Client::builder().region(netverify::Region::Sgp)
    ///     .credentials("token", "secret").user_agent("Acme KYC/1.0").build_blocking()?;
    /// assert_eq!(client.region(), Some(netverify::Region::Sgp));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn region(&self) -> Option<Region> {
        self.inner.client.region()
    }

    /// The base URL requests go to.
    ///
    /// ```
    /// let client = netverify::Client::builder().region(netverify::Region::Eu)
    ///     .credentials("token", "secret").user_agent("Acme KYC/1.0").build_blocking()?;
    /// assert_eq!(client.base_url(), "https://lon.netverify.com");
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        self.inner.client.base_url()
    }

    /// The full User-Agent sent: the customer's, then `netverify-rs/<version>`.
    ///
    /// ```
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0").build_blocking()?;
    /// assert!(client.user_agent().starts_with("Acme KYC/1.0 netverify-rs/"));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn user_agent(&self) -> &str {
        self.inner.client.user_agent()
    }

    /// The async client underneath (for a [`CachedCatalogue`](crate::CachedCatalogue),
    /// say).
    ///
    /// ```
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0").build_blocking()?;
    /// assert_eq!(client.as_async().base_url(), client.base_url());
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn as_async(&self) -> &crate::Client {
        &self.inner.client
    }

    fn call(&self, operation: Operation) -> Result<Catalogue, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Runtime {
                reason: IN_RUNTIME.to_owned(),
            });
        }
        let gone = || Error::Runtime {
            reason: WORKER_GONE.to_owned(),
        };
        let (reply, answer) = std_mpsc::sync_channel(1);
        self.inner
            .jobs
            .send(Job { operation, reply })
            .map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }
}
