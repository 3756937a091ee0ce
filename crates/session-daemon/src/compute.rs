//! Deterministic compute functions over agreed values.
//!
//! A compute step names a function and passes opaque `args`; its inputs are
//! the previous step's agreed values (the committed oracle record data of a
//! read, or the single output of a compute or write). Every committee member
//! runs the same function over the same inputs and must get the same bytes,
//! so functions are pure and deterministic.
//!
//! Built-ins:
//! - `median`: inputs are decimal numbers (ASCII, surrounding whitespace
//!   ignored); the output is the median in shortest decimal form. An even
//!   count averages the two middle values.
//! - `majority`: the value held by more than half of the inputs.
//! - `hash`: lowercase hex SHA-256 over the length-prefixed inputs.
//!
//! ```
//! use session_daemon::compute::Functions;
//!
//! let functions = Functions::builtin();
//! let inputs = [b"41".to_vec(), b"42".to_vec(), b"1000".to_vec()];
//! assert_eq!(functions.run("median", &inputs, b"")?, b"42");
//! # Ok::<(), session_daemon::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use session_core::MAX_COMMITTEE_SIZE;
use session_core::codec::Writer;

use crate::error::{Error, Result};

/// Most inputs a function accepts.
pub const MAX_INPUTS: usize = MAX_COMMITTEE_SIZE;
/// Largest input a numeric function parses, in bytes.
pub const MAX_NUMBER_LEN: usize = 64;
/// Largest function output, in bytes.
pub const MAX_OUTPUT_LEN: usize = session_core::MAX_ORACLE_DATA_LEN;

/// A compute function: `(inputs, args) → output`.
pub type ComputeFn = dyn Fn(&[Vec<u8>], &[u8]) -> Result<Vec<u8>> + Send + Sync;

/// The functions a node can run, by name.
#[derive(Clone, Default)]
pub struct Functions {
    map: HashMap<String, Arc<ComputeFn>>,
}

impl fmt::Debug for Functions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.map.keys().collect();
        names.sort();
        f.debug_struct("Functions").field("names", &names).finish()
    }
}

impl Functions {
    /// No functions.
    pub fn empty() -> Self {
        Self::default()
    }

    /// `median`, `majority` and `hash`.
    pub fn builtin() -> Self {
        let mut f = Self::empty();
        f.register("median", |inputs, _| median(inputs));
        f.register("majority", |inputs, _| majority(inputs));
        f.register("hash", |inputs, _| Ok(hash_values(inputs)));
        f
    }

    /// Adds (or replaces) a function.
    pub fn register<F>(&mut self, name: &str, function: F)
    where
        F: Fn(&[Vec<u8>], &[u8]) -> Result<Vec<u8>> + Send + Sync + 'static,
    {
        self.map.insert(name.to_owned(), Arc::new(function));
    }

    /// Whether `name` is registered.
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// Runs `name` over `inputs`, checking the input and output bounds.
    pub fn run(&self, name: &str, inputs: &[Vec<u8>], args: &[u8]) -> Result<Vec<u8>> {
        let function = self
            .map
            .get(name)
            .ok_or_else(|| Error::UnknownFunction(name.chars().take(64).collect()))?;
        if inputs.len() > MAX_INPUTS {
            return Err(Error::InvalidInput("too many compute inputs"));
        }
        let out = function(inputs, args)?;
        if out.len() > MAX_OUTPUT_LEN {
            return Err(Error::InvalidInput("compute output too large"));
        }
        Ok(out)
    }
}

fn compute_error(function: &'static str, reason: impl Into<String>) -> Error {
    Error::Compute {
        function,
        reason: reason.into(),
    }
}

fn parse_number(bytes: &[u8]) -> Result<f64> {
    if bytes.len() > MAX_NUMBER_LEN {
        return Err(compute_error("median", "number too long"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| compute_error("median", "input is not UTF-8"))?
        .trim();
    // Plain decimals only: no "inf", "nan" or hex forms.
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    let value: f64 = if plain { text.parse().ok() } else { None }
        .ok_or_else(|| compute_error("median", format!("not a number: {text:?}")))?;
    if !value.is_finite() {
        return Err(compute_error("median", "number out of range"));
    }
    Ok(value)
}

/// The median of decimal numbers, in shortest decimal form.
pub fn median(inputs: &[Vec<u8>]) -> Result<Vec<u8>> {
    if inputs.is_empty() {
        return Err(compute_error("median", "no inputs"));
    }
    let mut values = inputs
        .iter()
        .map(|v| parse_number(v))
        .collect::<Result<Vec<f64>>>()?;
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    let m = if values.len() % 2 == 1 {
        values[mid]
    } else {
        // Halve first so the sum cannot overflow.
        values[mid - 1] / 2.0 + values[mid] / 2.0
    };
    // -0 prints as "-0"; normalise.
    let m = if m == 0.0 { 0.0 } else { m };
    Ok(m.to_string().into_bytes())
}

/// The value more than half of the inputs hold.
pub fn majority(inputs: &[Vec<u8>]) -> Result<Vec<u8>> {
    let mut counts: BTreeMap<&[u8], usize> = BTreeMap::new();
    for v in inputs {
        *counts.entry(v.as_slice()).or_default() += 1;
    }
    counts
        .into_iter()
        .find(|(_, n)| *n * 2 > inputs.len())
        .map(|(v, _)| v.to_vec())
        .ok_or_else(|| compute_error("majority", "no value has a majority"))
}

/// Lowercase hex SHA-256 of the inputs, each with a `u32` length prefix,
/// after a `u32` count.
pub fn hash_values(inputs: &[Vec<u8>]) -> Vec<u8> {
    let mut w = Writer::new();
    w.len_prefix(inputs.len());
    for v in inputs {
        w.bytes(v);
    }
    session_core::hash(w.as_slice()).to_hex().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(items: &[&str]) -> Vec<Vec<u8>> {
        items.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn median_odd_even_and_errors() {
        assert_eq!(median(&vals(&["3", " 1\n", "2"])).unwrap(), b"2");
        assert_eq!(median(&vals(&["1", "2", "3", "10"])).unwrap(), b"2.5");
        assert_eq!(median(&vals(&["-0", "0"])).unwrap(), b"0");
        assert_eq!(median(&vals(&["1e3"])).unwrap(), b"1000");
        assert!(median(&[]).is_err());
        assert!(median(&vals(&["1", "abc"])).is_err());
        assert!(median(&vals(&["inf"])).is_err());
        assert!(median(&vals(&["NaN"])).is_err());
        assert!(median(&vals(&["1e400"])).is_err());
        assert!(median(&[vec![b'1'; MAX_NUMBER_LEN + 1]]).is_err());
        assert!(median(&[vec![0xff]]).is_err());
        // Order does not matter.
        assert_eq!(
            median(&vals(&["5", "1", "4", "2", "3"])).unwrap(),
            median(&vals(&["1", "2", "3", "4", "5"])).unwrap()
        );
    }

    #[test]
    fn majority_needs_more_than_half() {
        assert_eq!(majority(&vals(&["a", "b", "a"])).unwrap(), b"a");
        assert!(majority(&vals(&["a", "b"])).is_err());
        assert!(majority(&[]).is_err());
    }

    #[test]
    fn hash_is_length_prefixed() {
        assert_ne!(
            hash_values(&vals(&["ab", "c"])),
            hash_values(&vals(&["a", "bc"]))
        );
        assert_eq!(hash_values(&vals(&["x"])).len(), 64);
    }

    #[test]
    fn registry_is_extensible_and_bounded() {
        let mut f = Functions::builtin();
        assert!(f.contains("median") && f.contains("majority") && f.contains("hash"));
        assert!(matches!(
            f.run("nope", &[], b""),
            Err(Error::UnknownFunction(_))
        ));
        f.register("concat", |inputs, args| {
            let mut out = inputs.concat();
            out.extend_from_slice(args);
            Ok(out)
        });
        assert_eq!(f.run("concat", &vals(&["a", "b"]), b"!").unwrap(), b"ab!");
        let many = vec![b"1".to_vec(); MAX_INPUTS + 1];
        assert!(f.run("median", &many, b"").is_err());
        f.register("huge", |_, _| Ok(vec![0; MAX_OUTPUT_LEN + 1]));
        assert!(f.run("huge", &[], b"").is_err());
        assert!(format!("{f:?}").contains("median"));
    }
}
