//! Operating-system randomness.

/// Fills `buf` from the operating system's CSPRNG.
///
/// # Panics
///
/// If the operating system cannot provide randomness. On every supported
/// platform this only happens before the kernel's pool is initialised or in a
/// broken sandbox, where continuing would be worse than stopping.
pub(crate) fn fill(buf: &mut [u8]) {
    getrandom::getrandom(buf).expect("the operating system's random number generator failed");
}

/// An array of `N` random bytes.
pub(crate) fn array<const N: usize>() -> [u8; N] {
    let mut a = [0u8; N];
    fill(&mut a);
    a
}
