//! JSON Schema documents for the response models, for those who only want the
//! models: `openapi/schemas/<Model>.json`, derived with schemars from the
//! generated types and drift-checked with the generated code.
//!
//! The xtask must build when the generated code is stale or broken, so it does
//! not depend on netverify-api; it runs that crate's `json_schemas` example,
//! which prints a JSON object of model name to schema.

use std::collections::BTreeMap;
use std::process::Command;

use openapiv3::{ReferenceOr, SchemaKind, Type};
use quote::quote;
use syn::punctuated::Punctuated;

use crate::tools::{output, step};
use crate::{Mode, workspace_root, write_or_check};

const DIR: &str = "openapi/schemas";

pub fn run(mode: Mode) -> Result<(), String> {
    step("deriving JSON Schemas: cargo run -p netverify-api --example json_schemas");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let printed = output(
        Command::new(cargo)
            .args([
                "run",
                "--quiet",
                "--package",
                "netverify-api",
                "--example",
                "json_schemas",
            ])
            .current_dir(workspace_root()),
    )?;
    let schemas: BTreeMap<String, serde_json::Value> = serde_json::from_str(&printed)
        .map_err(|e| format!("the json_schemas example printed no JSON object of schemas: {e}"))?;
    if schemas.is_empty() {
        return Err("the json_schemas example printed no schema".to_owned());
    }

    if mode == Mode::Write {
        std::fs::create_dir_all(workspace_root().join(DIR))
            .map_err(|e| format!("cannot create {DIR}: {e}"))?;
    }
    let mut problems = Vec::new();
    for (name, schema) in &schemas {
        let text = serde_json::to_string_pretty(schema).expect("a JSON value serializes") + "\n";
        if let Err(problem) = write_or_check(mode, &format!("{DIR}/{name}.json"), &text) {
            problems.push(problem);
        }
    }
    // A schema file no model produces any more is stale too.
    let entries = match std::fs::read_dir(workspace_root().join(DIR)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return finish(problems),
        Err(e) => return Err(format!("cannot list {DIR}: {e}")),
    };
    for entry in entries {
        let file = entry
            .map_err(|e| format!("cannot list {DIR}: {e}"))?
            .file_name();
        let file = file.to_string_lossy();
        let model = file.strip_suffix(".json").unwrap_or(&file);
        if schemas.contains_key(model) {
            continue;
        }
        match mode {
            Mode::Write => {
                std::fs::remove_file(workspace_root().join(DIR).join(&*file))
                    .map_err(|e| format!("cannot remove {DIR}/{file}: {e}"))?;
                println!("removed {DIR}/{file}");
            }
            Mode::Check => problems.push(format!(
                "{DIR}/{file} is stale: no model produces it; run `cargo xtask generate`"
            )),
        }
    }
    finish(problems)
}

fn finish(problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n\n"))
    }
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
