pub(crate) mod commitment;
pub(crate) mod error;
pub(crate) mod gamma1;
pub(crate) mod t0;
pub(crate) mod t1;
