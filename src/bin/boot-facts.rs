//! Prints what `assets/boot.js` needs from the app (`store_portal::boot_facts`)
//! as JSON, for scripts/trunk-post-build.sh to write into index.html.

fn main() {
    println!("{}", store_portal::boot_facts::json());
}
