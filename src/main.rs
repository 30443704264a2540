fn main() {
    println!("trailguard");
}
