//! What a subscriber of a [`CachedCatalogue`](super::CachedCatalogue) hears.

use std::sync::Arc;

use crate::catalogue::Catalogue;
use crate::diff::CatalogueDiff;

/// A refresh brought a catalogue whose entries differ from the previous one;
/// from [`CachedCatalogue::subscribe`](crate::CachedCatalogue::subscribe).
///
/// ```
/// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = netverify_mock::MockServer::builder().start().await?;
/// # let client = netverify::Client::builder().base_url(sandbox.base_url())
/// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
/// #     .user_agent("Acme KYC/1.0").build()?;
/// let cache = netverify::CachedCatalogue::supported_builder(client).build();
/// let mut changes = cache.subscribe();
/// tokio::spawn(async move {
///     while let Ok(change) = changes.recv().await {
///         for added in &change.diff().only_in_right {
///             println!("Jumio now supports {} {}", added.country_code, added.id_type);
///         }
///     }
/// });
/// # cache.get().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CatalogueChange {
    pub(super) previous: Arc<Catalogue>,
    pub(super) current: Arc<Catalogue>,
    pub(super) diff: CatalogueDiff,
}

impl CatalogueChange {
    /// The catalogue served before the refresh.
    ///
    /// ```
    /// # fn on_change(change: &netverify::CatalogueChange) {
    /// let before = change.previous().len();
    /// let after = change.current().len();
    /// println!("{before} countries before, {after} now");
    /// # }
    /// ```
    pub fn previous(&self) -> &Arc<Catalogue> {
        &self.previous
    }

    /// The catalogue served from now on.
    ///
    /// ```
    /// # fn on_change(change: &netverify::CatalogueChange) {
    /// println!("the catalogue of {}", change.current().timestamp());
    /// # }
    /// ```
    pub fn current(&self) -> &Arc<Catalogue> {
        &self.current
    }

    /// `previous.diff(&current)`: `only_in_right` was added,
    /// `only_in_left` removed.
    ///
    /// ```
    /// # fn on_change(change: &netverify::CatalogueChange) {
    /// for removed in &change.diff().only_in_left {
    ///     println!("no longer offered: {} {}", removed.country_code, removed.id_type);
    /// }
    /// # }
    /// ```
    pub fn diff(&self) -> &CatalogueDiff {
        &self.diff
    }
}
