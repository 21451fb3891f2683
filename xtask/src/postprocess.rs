//! Changes to progenitor's output before it is written, each for a reason
//! given at the function: the generated text is never edited by hand, so
//! what must differ from progenitor's choices is done here, and each pass
//! fails loudly when progenitor's output no longer looks as it expects.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, SchemaKind, Type};
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

/// Removes every statement that mentions the `api-version` header, which
/// progenitor adds to every request. Jumio documents exactly which headers a
/// request carries and this is not one of them. Returns how many were removed.
pub fn remove_api_version_header(file: &mut syn::File) -> usize {
    struct Remover(usize);
    impl VisitMut for Remover {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let before = block.stmts.len();
            block.stmts.retain(|stmt| {
                !stmt
                    .to_token_stream()
                    .to_string()
                    .contains("\"api-version\"")
            });
            self.0 += before - block.stmts.len();
            syn::visit_mut::visit_block_mut(self, block);
        }
    }
    let mut remover = Remover(0);
    remover.visit_file_mut(file);
    remover.0
}

/// Points every `ResponseValue::from_response` call at the hand-written
/// `crate::decode::from_response`, which checks a body's UTF-8 once instead of
/// in every string (see crates/netverify-api/src/decode.rs). Returns how many
/// calls were redirected.
pub fn decode_through_str(file: &mut syn::File) -> usize {
    struct Redirect(usize);
    impl VisitMut for Redirect {
        fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
            let names: Vec<String> = expr
                .path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            if names == ["ResponseValue", "from_response"] {
                expr.path = syn::parse_quote!(crate::decode::from_response);
                self.0 += 1;
            }
            syn::visit_mut::visit_expr_path_mut(self, expr);
        }
    }
    let mut redirect = Redirect(0);
    redirect.visit_file_mut(file);
    redirect.0
}

/// Points the `Deserialize` of typify's constrained-string newtypes (such as
/// `countryName`) at the hand-written `crate::decode::parse_str`: typify's
/// decodes a `String`, then parses it with a `FromStr` that copies it, where
/// `parse_str` gives `FromStr` the text where the decoder has it (see
/// crates/netverify-api/src/decode.rs). Returns how many were redirected.
pub fn parse_strings_in_place(file: &mut syn::File) -> usize {
    struct Redirect(usize);
    impl VisitMut for Redirect {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            // `String::deserialize(deserializer)?.parse().map_err(..)`
            let text = expr.to_token_stream().to_string();
            if matches!(expr, syn::Expr::MethodCall(call) if call.method == "map_err")
                && text.starts_with(
                    ":: std :: string :: String :: deserialize (deserializer) ? . parse ()",
                )
            {
                *expr = syn::parse_quote!(crate::decode::parse_str(deserializer));
                self.0 += 1;
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut redirect = Redirect(0);
    redirect.visit_file_mut(file);
    redirect.0
}

/// Gives the newtypes that typify generates for constrained inline string
/// properties (such as `countryName`, at most 100 characters) a `JsonSchema`
/// impl that keeps the constraints. typify enforces them when parsing, but
/// derives `JsonSchema` on a `#[serde(transparent)]` newtype, which schemars
/// reduces to a bare string, so the JSON Schemas would lose them.
///
/// typify names such a type after the object and the property
/// (`CountryDocuments` + `countryName`); a constrained property whose newtype
/// is not found is an error, so a change in typify cannot drop a constraint
/// silently.
pub fn constrained_string_schemas(
    file: &mut syn::File,
    spec: &openapiv3::OpenAPI,
) -> Result<(), String> {
    let mut wanted: BTreeMap<String, syn::Expr> = BTreeMap::new();
    for (object_name, object) in spec.components.iter().flat_map(|c| &c.schemas) {
        let ReferenceOr::Item(object) = object else {
            continue;
        };
        let SchemaKind::Type(Type::Object(object)) = &object.schema_kind else {
            continue;
        };
        for (property, schema) in &object.properties {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
                continue;
            };
            let length = |value: Option<usize>| match value.map(u32::try_from) {
                None => Ok(quote!(None)),
                Some(Ok(value)) => Ok(quote!(Some(#value))),
                Some(Err(_)) => Err(format!("{object_name}.{property}: length out of range")),
            };
            let (min, max) = (length(string.min_length)?, length(string.max_length)?);
            let pattern = match &string.pattern {
                None => quote!(None),
                Some(pattern) => quote!(Some(#pattern.to_owned())),
            };
            if string.min_length.is_none()
                && string.max_length.is_none()
                && string.pattern.is_none()
            {
                continue;
            }
            let mut chars = property.chars();
            let pascal: String = chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
                .collect();
            let rules: syn::Expr = syn::parse_quote! {
                ::schemars::schema::StringValidation { min_length: #min, max_length: #max, pattern: #pattern }
            };
            wanted.insert(format!("{object_name}{pascal}"), rules);
        }
    }

    let types = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
            _ => None,
        })
        .ok_or("progenitor's output has no `types` module")?;
    let mut impls: Vec<(usize, syn::Item)> = Vec::new();
    for (index, item) in types.1.iter_mut().enumerate() {
        let syn::Item::Struct(newtype) = item else {
            continue;
        };
        let Some(rules) = wanted.remove(&newtype.ident.to_string()) else {
            continue;
        };
        if !matches!(&newtype.fields, syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1) {
            return Err(format!("expected {} to be a newtype", newtype.ident));
        }
        remove_json_schema_derive(newtype)?;
        let name = &newtype.ident;
        let name_text = name.to_string();
        // Inlined like the derived impl of a transparent newtype: the field's
        // description stays on the property that uses it.
        impls.push((index + 1, syn::parse_quote! {
            impl ::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::string::String {
                    #name_text.to_owned()
                }
                fn is_referenceable() -> bool {
                    false
                }
                fn json_schema(
                    generator: &mut ::schemars::r#gen::SchemaGenerator,
                ) -> ::schemars::schema::Schema {
                    let mut schema = <::std::string::String as ::schemars::JsonSchema>::json_schema(generator)
                        .into_object();
                    schema.string = Some(Box::new(#rules));
                    schema.into()
                }
            }
        }));
    }
    if let Some(missing) = wanted.keys().next() {
        return Err(format!(
            "progenitor generated no newtype {missing} for a constrained string property; \
             its JSON Schema would lose the constraint"
        ));
    }
    // Each impl goes right after its type; from the end, so indices hold.
    for (index, item) in impls.into_iter().rev() {
        types.1.insert(index, item);
    }
    Ok(())
}

fn remove_json_schema_derive(newtype: &mut syn::ItemStruct) -> Result<(), String> {
    let is_json_schema = |path: &syn::Path| {
        path.segments
            .last()
            .is_some_and(|s| s.ident == "JsonSchema")
    };
    for attribute in &mut newtype.attrs {
        if !attribute.path().is_ident("derive") {
            continue;
        }
        let derives = attribute
            .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map_err(|e| format!("cannot read the derives of {}: {e}", newtype.ident))?;
        if derives.iter().any(is_json_schema) {
            let kept = derives.into_iter().filter(|path| !is_json_schema(path));
            *attribute = syn::parse_quote!(#[derive(#(#kept),*)]);
            return Ok(());
        }
    }
    Err(format!("{} does not derive JsonSchema", newtype.ident))
}

/// Puts every `JsonSchema` derive and impl behind netverify-api's
/// `schemars` feature: JSON Schemas are for the workspace's tooling
/// (`openapi/schemas/`) and for services that publish them, so a crate that
/// only calls the API does not build schemars. A derive becomes
/// `#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]`, an impl
/// gets `#[cfg(feature = "schemars")]`. Returns how many were changed.
pub fn schemars_behind_feature(file: &mut syn::File) -> Result<usize, String> {
    struct Gate {
        changed: usize,
        error: Option<String>,
    }
    fn is_json_schema(path: &syn::Path) -> bool {
        path.segments
            .last()
            .is_some_and(|s| s.ident == "JsonSchema")
    }
    impl Gate {
        fn derives(&mut self, attrs: &mut Vec<syn::Attribute>) {
            for attribute in attrs.iter_mut() {
                if !attribute.path().is_ident("derive") {
                    continue;
                }
                let derives = match attribute
                    .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                {
                    Ok(derives) => derives,
                    Err(error) => {
                        self.error = Some(format!("cannot read a derive: {error}"));
                        return;
                    }
                };
                if let Some(schema) = derives
                    .iter()
                    .find(|path| is_json_schema(path))
                    .map(ToTokens::to_token_stream)
                {
                    let kept = derives.into_iter().filter(|path| !is_json_schema(path));
                    *attribute = syn::parse_quote!(#[derive(#(#kept),*)]);
                    attrs.push(syn::parse_quote!(
                        #[cfg_attr(feature = "schemars", derive(#schema))]
                    ));
                    self.changed += 1;
                    return;
                }
            }
        }
    }
    impl VisitMut for Gate {
        fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
            self.derives(&mut item.attrs);
        }
        fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
            self.derives(&mut item.attrs);
        }
        fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
            if item
                .trait_
                .as_ref()
                .is_some_and(|(_, path, _)| is_json_schema(path))
            {
                item.attrs
                    .push(syn::parse_quote!(#[cfg(feature = "schemars")]));
                self.changed += 1;
            }
        }
    }
    let mut gate = Gate {
        changed: 0,
        error: None,
    };
    gate.visit_file_mut(file);
    match gate.error {
        Some(error) => Err(error),
        None => Ok(gate.changed),
    }
}
