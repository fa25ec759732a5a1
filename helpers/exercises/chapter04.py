"""Chapter 4, bank customer churn: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "04.1": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuMzc2LCAicmVsIjogMC4wMDJ9",
        "churn.groupby(['Geography', 'Gender'])['Exited'].mean() gives the six rates; answer the "
        "largest one as a fraction (e.g. 0.25, not 25)",
    ),
    "04.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNzIsICJyZWwiOiAwLjAxfQ==",
        "fit LogisticRegression(class_weight='balanced') on X_train, y_train, then "
        "recall_score(y_test, its predict(X_test))",
    ),
    "04.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuODQsICJyZWwiOiAwLjAxfQ==",
        "put 'NumOfProducts' in the OneHotEncoder's column list next to 'Geography' and 'Gender', "
        "fit encoder and scaler on the training set only, then accuracy_score on the test set",
    ),
    "04.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDEyLjUsICJsb3ciOiA5LjAsICJoaWdoIjogMTYuMH0=",
        "choose the threshold with the lowest cost on X_train[-800:], y_train[-800:] (20 euros per "
        "customer flagged, 100 per churner missed, divided by the number of customers), then "
        "compute the same cost on the test customers at that threshold",
    ),
}
