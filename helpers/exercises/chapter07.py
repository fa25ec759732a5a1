"""Chapter 7, MNIST with a hidden layer: 98 % and faster training: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "07.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDI2OTMyMn0=",
        "Flatten has no parameters; each Dense layer has (inputs + 1) x units: 784 -> 256, "
        "256 -> 256, 256 -> 10",
        tempting=(
            (268_800, "the weights without the biases"),
            (407_050, "the chapter's 512-unit network"),
        ),
    ),
    "07.2": Exercise(
        "integers",
        "eyJ2YWx1ZSI6IFsxODc1LCA0NjksIDExOCwgMzBdfQ==",
        "60,000 / batch size, rounded up (a smaller last batch is one more update); answer in the "
        "order 32, 128, 512, 2048",
        tempting=(([1875, 468, 117, 29], "rounded down: a smaller last batch is one more update"),),
    ),
    "07.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTU1NSwgImxvdyI6IDAuOTQ1LCAiaGlnaCI6IDAuOTY2fQ==",
        "fit build_model() (adam, its default learning rate) on all of x_train with "
        "batch_size=2048 and epochs=5; answer the accuracy of evaluate(x_test, y_test), a "
        "fraction between 0 and 1",
        tempting=((95.55, "a percentage: the task asks for a fraction"),),
    ),
}
