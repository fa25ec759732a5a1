"""Chapter 4, bank customer churn: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "04.1": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuMzc2LCAicmVsIjogMC4wMDJ9",
        "churn.groupby(['Geography', 'Gender'])['Exited'].mean() gives the six rates; answer the "
        "largest one as a fraction (e.g. 0.25, not 25)",
        tempting=(
            (37.6, "a percentage: the task asks for a fraction"),
            (0.324, "Germany's rate over both sexes, not the largest of the six"),
            (0.204, "the churn rate of the whole table"),
        ),
    ),
    "04.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNzIsICJyZWwiOiAwLjAxfQ==",
        "fit LogisticRegression(class_weight='balanced') on X_train, y_train, then "
        "recall_score(y_test, its predict(X_test))",
        tempting=(
            (0.24, "the recall without class_weight='balanced'"),
            (0.377, "the balanced model's precision, not its recall"),
        ),
    ),
    "04.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuODQsICJyZWwiOiAwLjAxfQ==",
        "put 'NumOfProducts' in the OneHotEncoder's column list next to 'Geography' and 'Gender', "
        "fit encoder and scaler on the training set only, then accuracy_score on the test set",
        tempting=(
            (0.811, "the accuracy before NumOfProducts was one-hot encoded"),
            (84.35, "a percentage: the task asks for a fraction"),
        ),
    ),
    "04.4": Exercise(
        "number",
        # 11.09 to 12.81 euros over 20 training seeds (spread/04-bank-churn.md), with a margin
        "eyJ2YWx1ZSI6IDEyLjUsICJsb3ciOiAxMC4wLCAiaGlnaCI6IDE0LjV9",
        "choose the threshold with the lowest cost on X_train[-800:], y_train[-800:] (20 euros per "
        "customer flagged, 100 per churner missed, divided by the number of customers), then "
        "compute the same cost on the test customers at that threshold",
        tempting=(
            (20.25, "calling nobody: the cost of missing every churner"),
            (20.0, "calling everyone"),
            (0.25, "the threshold, not its cost per customer"),
        ),
        spread=1.72,
    ),
}
