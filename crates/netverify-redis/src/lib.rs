#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use netverify::{Catalogue, CatalogueStore, Operation, StoreError, StoreFuture};
use redis::aio::MultiplexedConnection;

/// Saves a catalogue unless the key holds a stored catalogue of the same
/// list that is as new or newer (compare and set, atomic in Redis). Anything
/// else under the key (garbage, another list, JSON cut off, another Redis
/// type) is replaced. KEYS[1]: the catalogue's key; ARGV[1]: its timestamp
/// in milliseconds; ARGV[2]: the value; ARGV[3]: the list's operation id.
/// Returns 1 when saved, 0 when a newer one was kept.
const SAVE: &str = r"
local current = redis.pcall('GET', KEYS[1])
if type(current) == 'string' then
  local stored, list, json = string.match(current, '^(%d+) (%S+)\n(.*)$')
  if stored and list == ARGV[3] and tonumber(stored) >= tonumber(ARGV[1])
      and pcall(cjson.decode, json) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
";

/// Grants the lease to `holder` when it is free (for `period` ms), or when
/// `holder` has it already (without extending it, so that a holder that
/// keeps failing still hands over when the lease runs out).
/// KEYS[1]: the lease's key; ARGV[1]: the holder; ARGV[2]: the period in ms.
const LEASE: &str = r"
if redis.pcall('GET', KEYS[1]) == ARGV[1] then return 1 end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
";

/// A [`CatalogueStore`] on Redis, shared by the replicas of a service: see
/// the [crate documentation](crate) for the keys, the lease and the
/// guarantees.
///
/// ```
/// let store = netverify_redis::RedisStore::new("redis://127.0.0.1:6379", "acme-kyc:")?;
/// assert_eq!(store.key(netverify::Operation::SupportedIdTypes), "acme-kyc:supportedIdTypes");
/// # Ok::<(), netverify::StoreError>(())
/// ```
pub struct RedisStore {
    client: redis::Client,
    /// The connection, made at the first call and again after a failure.
    connection: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    prefix: String,
    /// Who this store is when it holds a lease.
    holder: String,
}

impl RedisStore {
    /// A store on the Redis server at `url` (`redis://host:port/db`, with a
    /// user and password if the server needs them), keeping its keys under
    /// `prefix`. It connects at its first call, and again after a failure,
    /// so a service starts while Redis is down.
    ///
    /// An invalid URL is an error, without the URL (it may hold a password).
    pub fn new(url: &str, prefix: impl Into<String>) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(|error| {
            StoreError::new(format_args!("invalid Redis URL ({:?})", error.kind()))
        })?;
        Ok(RedisStore {
            client,
            connection: tokio::sync::Mutex::new(None),
            prefix: prefix.into(),
            holder: format!("{:016x}", fastrand::u64(..)),
        })
    }

    /// The key holding `list`'s catalogue: the prefix and the operation id.
    /// The lease is the same key followed by `:lease`.
    pub fn key(&self, list: Operation) -> String {
        format!("{}{}", self.prefix, list.operation_id())
    }

    fn lease_key(&self, list: Operation) -> String {
        format!("{}:lease", self.key(list))
    }

    /// Runs `call` on the connection, connecting first when there is none;
    /// a failed call drops the connection, so the next one reconnects.
    async fn with_connection<T>(
        &self,
        call: impl AsyncFnOnce(&mut MultiplexedConnection) -> redis::RedisResult<T>,
    ) -> Result<T, StoreError> {
        let mut slot = self.connection.lock().await;
        let mut connection = match &*slot {
            Some(connection) => connection.clone(),
            None => self
                .client
                .get_multiplexed_async_connection()
                .await
                .map_err(redis_error)?,
        };
        match call(&mut connection).await {
            Ok(value) => {
                *slot = Some(connection);
                Ok(value)
            }
            Err(error) => {
                *slot = None;
                Err(redis_error(error))
            }
        }
    }
}

/// A Redis error in words: its kind and detail, never the URL.
fn redis_error(error: redis::RedisError) -> StoreError {
    StoreError::new(format_args!("Redis: {error}"))
}

impl CatalogueStore for RedisStore {
    fn load(&self, list: Operation) -> StoreFuture<'_, Option<Catalogue>> {
        Box::pin(async move {
            let key = self.key(list);
            let value: Option<Vec<u8>> = self
                .with_connection(async |connection| {
                    redis::cmd("GET").arg(&key).query_async(connection).await
                })
                .await
                .or_else(|error| match error.to_string().contains("WRONGTYPE") {
                    // Another type under the key is garbage, like any other.
                    true => Ok(Some(Vec::new())),
                    false => Err(error),
                })?;
            Ok(value.and_then(|value| match decode(&value, list) {
                Ok(catalogue) => Some(catalogue),
                Err(problem) => {
                    tracing::warn!(
                        list = list.operation_id(),
                        key,
                        problem,
                        "ignoring what Redis holds under the catalogue's key; it will be \
                         replaced by the next good catalogue"
                    );
                    None
                }
            }))
        })
    }

    fn save(&self, list: Operation, catalogue: Arc<Catalogue>) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let value = encode(&catalogue, list)?;
            let key = self.key(list);
            let millis = catalogue.timestamp().timestamp_millis().max(0);
            self.with_connection(async |connection| {
                redis::Script::new(SAVE)
                    .key(&key)
                    .arg(millis)
                    .arg(&value)
                    .arg(list.operation_id())
                    .invoke_async::<i64>(connection)
                    .await
            })
            .await
            .map(drop)
        })
    }

    fn lease(&self, list: Operation, period: Duration) -> StoreFuture<'_, bool> {
        Box::pin(async move {
            let key = self.lease_key(list);
            let millis = period.as_millis().clamp(1, u64::MAX.into()) as u64;
            self.with_connection(async |connection| {
                redis::Script::new(LEASE)
                    .key(&key)
                    .arg(&self.holder)
                    .arg(millis)
                    .invoke_async::<i64>(connection)
                    .await
            })
            .await
            .map(|granted| granted == 1)
        })
    }
}

/// The value under a catalogue's key: a header line (`<timestamp in
/// milliseconds> <operation id>`), then the catalogue in the API's JSON
/// shape.
fn encode(catalogue: &Catalogue, list: Operation) -> Result<Vec<u8>, StoreError> {
    let millis = catalogue.timestamp().timestamp_millis().max(0);
    let mut value = format!("{millis} {}\n", list.operation_id()).into_bytes();
    serde_json::to_writer(&mut value, catalogue).map_err(StoreError::new)?;
    Ok(value)
}

fn decode(value: &[u8], list: Operation) -> Result<Catalogue, String> {
    let mut lines = value.splitn(2, |&byte| byte == b'\n');
    let (Some(header), Some(json)) = (lines.next(), lines.next()) else {
        return Err("no header line".to_owned());
    };
    let header = std::str::from_utf8(header).map_err(|_| "the header is not text")?;
    match header.split_once(' ') {
        Some((millis, stored)) if millis.parse::<u64>().is_ok() => {
            if stored != list.operation_id() {
                return Err(format!("it holds {stored}, not {list}"));
            }
        }
        _ => return Err(format!("not a stored catalogue's header: {header:?}")),
    }
    let catalogue = Catalogue::from_json(json).map_err(|error| error.to_string())?;
    // Saved by this store, a catalogue is under its endpoint's own key.
    if catalogue.endpoint() != list {
        return Err(format!(
            "its catalogue is {}, not {list}",
            catalogue.endpoint()
        ));
    }
    Ok(catalogue)
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The connection info may hold a password: only the prefix is shown.
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}
