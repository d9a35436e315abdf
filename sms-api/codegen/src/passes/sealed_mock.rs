//! Seals progenitor's `MockServerExt`: it gains a method for every operation added to the spec,
//! which Rust's semver rules count as breaking for a trait others may implement. Sealed (its
//! supertrait `crate::mock::sealed::Sealed` cannot be named outside the crate, and only
//! httpmock's `MockServer` implements it), an added method is a minor change, as `cargo xtask
//! diff` says and cargo-semver-checks agrees.

use syn::{Item, parse_quote};

/// Adds the sealing supertrait to `MockServerExt`; returns 1 when it found the trait.
pub fn seal(mock: &mut syn::File) -> usize {
    let mut sealed = 0;
    for item in &mut mock.items {
        if let Item::Trait(t) = item
            && t.ident == "MockServerExt"
        {
            t.supertraits
                .push(parse_quote!(crate::mock::sealed::Sealed));
            t.attrs.push(parse_quote!(
                #[doc = "\n\nSealed: only httpmock's `MockServer` implements it, so that an operation added to the spec, which adds a method here, is a minor release."]
            ));
            sealed += 1;
        }
    }
    sealed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trait_gains_the_sealing_supertrait() {
        let mut file: syn::File = parse_quote! {
            pub trait MockServerExt { fn list_tasks(&self); }
            pub trait Other {}
        };
        assert_eq!(seal(&mut file), 1);
        let Item::Trait(t) = &file.items[0] else {
            panic!()
        };
        let supertrait = &t.supertraits;
        assert_eq!(
            quote::quote!(#supertrait).to_string(),
            "crate :: mock :: sealed :: Sealed"
        );
    }
}
