pub(crate) mod less_than_eta;
pub(crate) mod less_than_field_modulus;
mod shuffle_table;
