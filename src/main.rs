fn main() {
    yew::Renderer::<store_portal::App>::new().render();
}
